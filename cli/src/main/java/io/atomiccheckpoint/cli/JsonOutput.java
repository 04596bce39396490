package io.atomiccheckpoint.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.atomiccheckpoint.manifest.ManifestHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Optional;

/**
 * A streaming JSON writer over a command's output, so that {@code inspect --objects} and {@code list} print as
 * they read; the methods throw {@link UncheckedIOException} instead of {@link IOException}.
 */
final class JsonOutput implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final JsonGenerator g;

    JsonOutput(Writer out) {
        try {
            g = FACTORY.createGenerator(nonClosing(out));
            g.setPrettyPrinter(new DefaultPrettyPrinter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Writer nonClosing(Writer out) {
        return new java.io.FilterWriter(out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    void write(Body body) {
        try {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void field(JsonGenerator g, String name, Optional<?> value) throws IOException {
        if (value.isEmpty()) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value.get().toString());
        }
    }

    /** A manifest header's fields; an Orbax marker's unknown counts are null. */
    static void header(JsonGenerator g, ManifestHeader h) throws IOException {
        g.writeNumberField("formatVersion", h.formatVersion());
        g.writeStringField("strategy", h.strategy());
        g.writeBooleanField("inventory", h.hasInventory());
        field(g, "writerId", h.writerId());
        field(g, "commitId", h.commitId());
        field(g, "location", h.location());
        field(g, "initTimestamp", h.initTimestamp().map(Instant::toString));
        field(g, "commitTimestamp", h.commitTimestamp().map(Instant::toString));
        if (h.hasInventory()) {
            g.writeNumberField("objectCount", h.objectCount());
            g.writeNumberField("totalBytes", h.totalBytes());
        } else {
            g.writeNullField("objectCount");
            g.writeNullField("totalBytes");
        }
    }

    @Override
    public void close() {
        try {
            g.writeRaw('\n');
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
