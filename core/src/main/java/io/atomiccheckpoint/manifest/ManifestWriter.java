package io.atomiccheckpoint.manifest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.atomiccheckpoint.spi.UTF8Order;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Builds a manifest on local disk, one entry at a time, so memory stays flat however many objects a
 * checkpoint has. Entries must arrive in ascending key order (the order stores list in), which lets deep
 * validation merge the manifest with a listing without holding either in memory.
 *
 * <p>Use: {@link #add} every entry, then {@link #finish} to get the file to upload, then {@link #close}.
 */
public final class ManifestWriter implements AutoCloseable {
    static final JsonFactory JSON = JsonFactory.builder()
            // A hostile marker must fail as corrupt, not exhaust memory: no key or value longer than any cloud
            // key could be, and no nesting deeper than a manifest has.
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(64 * 1024).maxNestingDepth(32).maxNumberLength(64).build())
            .build();

    private final Path entriesFile;
    private final JsonGenerator entries;
    private Path manifestFile;
    private long count;
    private long bytes;
    private String lastKey;

    public ManifestWriter() {
        try {
            entriesFile = io.atomiccheckpoint.internal.SpoolFiles.create(".entries");
            entries = JSON.createGenerator(entriesFile.toFile(), JsonEncoding.UTF8);
            entries.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a local scratch file for the manifest", e);
        }
    }

    /** Appends an entry; keys must strictly increase in UTF-8 order. */
    public void add(ManifestEntry entry) {
        if (lastKey != null && UTF8Order.compare(entry.key(), lastKey) <= 0) {
            throw new IllegalStateException("manifest entries out of order: '" + entry.key() + "' after '" + lastKey + "'");
        }
        try {
            entries.writeStartObject();
            entries.writeStringField("key", entry.key());
            entries.writeNumberField("size", entry.size());
            if (entry.version().isPresent()) {
                entries.writeStringField("version", entry.version().get());
            }
            if (!entry.checksums().isEmpty()) {
                entries.writeObjectFieldStart("checksums");
                for (Map.Entry<String, String> c : entry.checksums().entrySet()) {
                    entries.writeStringField(c.getKey(), c.getValue());
                }
                entries.writeEndObject();
            }
            entries.writeEndObject();
            entries.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest scratch file", e);
        }
        lastKey = entry.key();
        count++;
        bytes += entry.size();
    }

    public long count() {
        return count;
    }

    public long totalBytes() {
        return bytes;
    }

    /** Writes the complete manifest JSON (header first, then the entries) and returns its local file. */
    public Path finish(String strategy, String writerId, String commitId, String location, Instant initTimestamp,
            Instant commitTimestamp) {
        try {
            entries.close();
            manifestFile = io.atomiccheckpoint.internal.SpoolFiles.create(".manifest.json");
            try (JsonGenerator out = JSON.createGenerator(manifestFile.toFile(), JsonEncoding.UTF8);
                    BufferedReader lines = Files.newBufferedReader(entriesFile, StandardCharsets.UTF_8)) {
                out.writeStartObject();
                out.writeStringField("format", ManifestHeader.FORMAT);
                out.writeNumberField("formatVersion", ManifestHeader.FORMAT_VERSION);
                out.writeStringField("strategy", strategy);
                out.writeStringField("writerId", writerId);
                out.writeStringField("commitId", commitId);
                out.writeStringField("location", location);
                out.writeStringField("initTimestamp", initTimestamp == null ? null : initTimestamp.toString());
                out.writeStringField("commitTimestamp", commitTimestamp.toString());
                out.writeNumberField("objectCount", count);
                out.writeNumberField("totalBytes", bytes);
                out.writeArrayFieldStart("entries");
                String line;
                while ((line = lines.readLine()) != null) {
                    out.writeRawValue(line);
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            return manifestFile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest file", e);
        }
    }

    /** Deletes the scratch files. */
    @Override
    public void close() {
        try {
            entries.close();
            Files.deleteIfExists(entriesFile);
            if (manifestFile != null) {
                Files.deleteIfExists(manifestFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete manifest scratch files", e);
        }
    }
}
