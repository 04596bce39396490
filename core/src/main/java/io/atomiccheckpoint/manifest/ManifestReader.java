package io.atomiccheckpoint.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.CorruptManifestException.Problem;
import io.atomiccheckpoint.spi.UTF8Order;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Reads a commit marker as a stream: the header at once, the entries one at a time, checking as it goes
 * that the marker is well formed, not larger than allowed, sorted, consistent with its header, and that
 * every entry names an object inside the checkpoint. Any violation is a {@link CorruptManifestException}.
 *
 * <p>Also accepts the reference implementation's plain-text marker ({@code Checkpoint commit was
 * successful to ...}) as a valid marker without inventory.
 */
public final class ManifestReader implements AutoCloseable {
    private static final String LEGACY_PREFIX = "Checkpoint commit was successful";

    private final InputStream in;
    private final JsonParser parser;
    private final ManifestHeader header;
    private final Location checkpoint;
    private final String markerName;
    private boolean entriesConsumed;

    private ManifestReader(InputStream in, JsonParser parser, ManifestHeader header, Location checkpoint,
            String markerName) {
        this.in = in;
        this.parser = parser;
        this.header = header;
        this.checkpoint = checkpoint;
        this.markerName = markerName;
    }

    /**
     * Opens a marker's content. The reader owns {@code content} and closes it.
     *
     * @param checkpoint the final location the marker belongs to; entries must resolve inside it
     * @param markerName the marker's own name, which no entry may use
     * @param maxBytes the largest marker accepted
     */
    /** The most checksums one entry may carry; stores report one to three. */
    static final int MAX_CHECKSUMS = 16;

    public static ManifestReader open(InputStream content, Location checkpoint, String markerName, long maxBytes) {
        InputStream limited = new BufferedInputStream(new LimitedInputStream(content, maxBytes));
        try {
            limited.mark(64);
            byte[] head = limited.readNBytes(LEGACY_PREFIX.length());
            limited.reset();
            String start = new String(head, StandardCharsets.UTF_8);
            if (start.startsWith(LEGACY_PREFIX)) {
                limited.close();
                return new ManifestReader(null, null, ManifestHeader.legacy(), checkpoint, markerName);
            }
            JsonParser parser = ManifestWriter.JSON.createParser(limited);
            ManifestHeader header = readHeader(parser);
            return new ManifestReader(limited, parser, header, checkpoint, markerName);
        } catch (JsonProcessingException e) {
            close(limited);
            throw new CorruptManifestException(Problem.MALFORMED, "marker is not valid manifest JSON: "
                    + e.getOriginalMessage() + at(e), e);
        } catch (IOException e) {
            close(limited);
            throw tooLargeOr(e, maxBytes);
        }
    }

    /** Where the parser failed, when it knows (limit violations carry no location). */
    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
    }

    private static RuntimeException tooLargeOr(IOException e, long maxBytes) {
        if (e instanceof TooLargeException) {
            return new CorruptManifestException(Problem.TOO_LARGE, "marker is larger than the " + maxBytes
                    + "-byte limit", e);
        }
        return new UncheckedIOException("cannot read the marker", e);
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already failing; the original error matters.
        }
    }

    private static ManifestHeader readHeader(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new CorruptManifestException(Problem.MALFORMED, "marker is neither a manifest (a JSON object) nor"
                    + " a reference commit_success marker");
        }
        String format = null;
        int version = -1;
        String strategy = null;
        String writer = null;
        String commitId = null;
        String location = null;
        Instant init = null;
        Instant commit = null;
        long count = -1;
        long bytes = -1;
        while (true) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT) {
                throw new CorruptManifestException(Problem.MALFORMED, "manifest has no 'entries' array");
            }
            if (t != JsonToken.FIELD_NAME) {
                throw new CorruptManifestException(Problem.MALFORMED, "unexpected " + t + " in manifest header");
            }
            String field = p.getCurrentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "format":
                    format = text(p, field);
                    break;
                case "formatVersion":
                    long v = number(p, field);
                    // Never narrowed: 4294967297 must not read as 1.
                    version = v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
                    break;
                case "strategy":
                    strategy = text(p, field);
                    break;
                case "writerId":
                    writer = text(p, field);
                    break;
                case "commitId":
                    commitId = text(p, field);
                    break;
                case "location":
                    location = text(p, field);
                    break;
                case "initTimestamp":
                    init = instant(p, field);
                    break;
                case "commitTimestamp":
                    commit = instant(p, field);
                    break;
                case "objectCount":
                    count = number(p, field);
                    break;
                case "totalBytes":
                    bytes = number(p, field);
                    break;
                case "entries":
                    if (value != JsonToken.START_ARRAY) {
                        throw new CorruptManifestException(Problem.MALFORMED, "'entries' is not an array");
                    }
                    if (!ManifestHeader.FORMAT.equals(format)) {
                        throw new CorruptManifestException(Problem.MALFORMED, "'format' must be '" + ManifestHeader.FORMAT
                                + "' before the entries, was '" + format + "'");
                    }
                    if (version < 1 || version > ManifestHeader.FORMAT_VERSION) {
                        throw new CorruptManifestException(Problem.UNSUPPORTED_VERSION, "manifest formatVersion " + version
                                + " is not supported (this library reads 1 to " + ManifestHeader.FORMAT_VERSION + ")");
                    }
                    if (count < 0 || bytes < 0 || commit == null) {
                        throw new CorruptManifestException(Problem.MALFORMED,
                                "manifest header lacks objectCount, totalBytes or commitTimestamp");
                    }
                    return new ManifestHeader(version, strategy, writer, commitId, location, init, commit, count, bytes, true);
                default:
                    p.skipChildren();
            }
        }
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new CorruptManifestException(Problem.MALFORMED, "'" + field + "' must be a string");
        }
        return p.getText();
    }

    private static long number(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new CorruptManifestException(Problem.MALFORMED, "'" + field + "' must be an integer");
        }
        long v = p.getLongValue();
        if (v < 0) {
            throw new CorruptManifestException(Problem.MALFORMED, "'" + field + "' is negative");
        }
        return v;
    }

    private static Instant instant(JsonParser p, String field) throws IOException {
        String s = text(p, field);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new CorruptManifestException(Problem.MALFORMED, "'" + field + "' is not an ISO-8601 instant");
        }
    }

    public ManifestHeader header() {
        return header;
    }

    /**
     * The entries in key order, read lazily; may be iterated once. Iterating to the end also checks the
     * totals against the header and that nothing follows the manifest.
     */
    public Iterator<ManifestEntry> entries() {
        if (entriesConsumed) {
            throw new IllegalStateException("manifest entries can be read once");
        }
        entriesConsumed = true;
        if (!header.hasInventory()) {
            return java.util.Collections.emptyIterator();
        }
        return new Iterator<>() {
            private ManifestEntry next;
            private boolean done;
            private String lastKey;
            private long count;
            private long bytes;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = advance();
                }
                return next != null;
            }

            @Override
            public ManifestEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ManifestEntry e = next;
                next = null;
                return e;
            }

            private ManifestEntry advance() {
                try {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        finishDocument();
                        done = true;
                        if (count != header.objectCount() || bytes != header.totalBytes()) {
                            throw new CorruptManifestException(Problem.INCONSISTENT, "manifest header says "
                                    + header.objectCount() + " objects / " + header.totalBytes() + " bytes but lists "
                                    + count + " / " + bytes);
                        }
                        return null;
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw new CorruptManifestException(Problem.MALFORMED, "manifest entry is not an object");
                    }
                    ManifestEntry entry = readEntry();
                    if (lastKey != null && UTF8Order.compare(entry.key(), lastKey) <= 0) {
                        throw new CorruptManifestException(Problem.MALFORMED, "manifest entries are not in ascending"
                                + " key order: '" + entry.key() + "' after '" + lastKey + "'");
                    }
                    lastKey = entry.key();
                    count++;
                    try {
                        bytes = Math.addExact(bytes, entry.size());
                    } catch (ArithmeticException overflow) {
                        throw new CorruptManifestException(Problem.INCONSISTENT, "manifest sizes add up to more than "
                                + Long.MAX_VALUE + " bytes");
                    }
                    return entry;
                } catch (JsonProcessingException e) {
                    throw new CorruptManifestException(Problem.MALFORMED, "manifest is malformed or truncated: "
                            + e.getOriginalMessage() + at(e), e);
                } catch (TooLargeException e) {
                    throw new CorruptManifestException(Problem.TOO_LARGE, e.getMessage(), e);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the marker", e);
                }
            }
        };
    }

    private void finishDocument() throws IOException {
        if (parser.nextToken() != JsonToken.END_OBJECT) {
            throw new CorruptManifestException(Problem.MALFORMED, "fields after 'entries' are not allowed");
        }
        if (parser.nextToken() != null) {
            throw new CorruptManifestException(Problem.MALFORMED, "data after the end of the manifest");
        }
    }

    private ManifestEntry readEntry() throws IOException {
        String key = null;
        long size = -1;
        String version = null;
        TreeMap<String, String> checksums = new TreeMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.getCurrentName();
            parser.nextToken();
            switch (field) {
                case "key":
                    key = text(parser, field);
                    break;
                case "size":
                    size = number(parser, field);
                    break;
                case "version":
                    version = text(parser, field);
                    break;
                case "checksums":
                    if (parser.currentToken() != JsonToken.START_OBJECT) {
                        throw new CorruptManifestException(Problem.MALFORMED, "'checksums' must be an object");
                    }
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String algorithm = parser.getCurrentName();
                        parser.nextToken();
                        checksums.put(algorithm, text(parser, "checksums." + algorithm));
                        if (checksums.size() > MAX_CHECKSUMS) {
                            throw new CorruptManifestException(Problem.MALFORMED, "a manifest entry has more than "
                                    + MAX_CHECKSUMS + " checksums");
                        }
                    }
                    break;
                default:
                    parser.skipChildren();
            }
        }
        if (key == null || size < 0) {
            throw new CorruptManifestException(Problem.MALFORMED, "manifest entry lacks 'key' or 'size'");
        }
        try {
            checkpoint.resolve(key);
        } catch (InvalidLocationException e) {
            throw new CorruptManifestException(Problem.ENTRY_OUTSIDE_CHECKPOINT, "manifest entry '" + key
                    + "' does not name an object inside " + checkpoint + ": " + e.getMessage(), e);
        }
        if (key.equals(markerName)) {
            throw new CorruptManifestException(Problem.MALFORMED, "manifest lists the marker itself");
        }
        return new ManifestEntry(key, size, version, checksums);
    }

    @Override
    public void close() {
        try {
            if (parser != null) {
                parser.close();
            }
            if (in != null) {
                in.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signals that the marker exceeded its size limit while being read. */
    private static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("marker is larger than the " + limit + "-byte limit");
        }
    }

    /** Stops reading past a limit, so a hostile 100 MiB marker cannot exhaust memory or time. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long read;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws TooLargeException {
            read += n;
            if (read > limit) {
                throw new TooLargeException(limit);
            }
        }
    }
}
