package io.atomiccheckpoint.metadata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.atomicity.CheckpointMetadataStore;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link CheckpointMetadataStore} that keeps the timestamps in a small JSON object named
 * {@code _CHECKPOINT_METADATA} inside the checkpoint, with Orbax's field names ({@code init_timestamp_nsecs},
 * {@code commit_timestamp_nsecs}, in nanoseconds since the epoch), so the file is committed with the rest and Orbax's
 * step-metadata reader reads both ({@code OrbaxInteropTest}). Other fields of the file are kept as they are.
 */
public final class StoreCheckpointMetadata implements CheckpointMetadataStore {
    /** The reference implementation's metadata file name. */
    public static final String FILE_NAME = "_CHECKPOINT_METADATA";
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_BYTES = 64 * 1024;
    /** Orbax's field names ({@code orbax.checkpoint._src.metadata.step_metadata_serialization}). */
    private static final String INIT_FIELD = "init_timestamp_nsecs";
    private static final String COMMIT_FIELD = "commit_timestamp_nsecs";

    private final Store store;

    public StoreCheckpointMetadata(Store store) {
        this.store = store;
    }

    @Override
    public void writeInitTimestamp(Location temporary, Instant init) {
        update(temporary, INIT_FIELD, nanos(init));
    }

    @Override
    public void writeCommitTimestamp(Location temporary, Instant commit) {
        update(temporary, COMMIT_FIELD, nanos(commit));
    }

    @Override
    public Optional<Instant> initTimestamp(Location location) {
        Long init = read(location)[0];
        return init == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(0, init));
    }

    /** The commit timestamp recorded in the checkpoint at {@code location}, if any. */
    public Optional<Instant> commitTimestamp(Location location) {
        Long commit = read(location)[1];
        return commit == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(0, commit));
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * Sets one timestamp and keeps every other field of the file as it was, as Orbax's own metadata update does:
     * fields that an Orbax-aware writer put there (item handlers, metrics, custom metadata) survive the commit.
     */
    private void update(Location checkpoint, String field, long value) {
        Location file = checkpoint.resolve(FILE_NAME);
        byte[] existing = readBytes(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (existing != null) {
                try (JsonParser p = openObject(file, existing)) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.getCurrentName();
                        p.nextToken();
                        if (name.equals(field)) {
                            p.skipChildren();
                        } else {
                            g.writeFieldName(name);
                            g.copyCurrentStructure(p);
                        }
                    }
                }
            }
            g.writeNumberField(field, value);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid JSON: " + Messages.quote(e.getMessage()), e);
        }
        store.write(file, out.toByteArray(), PutMode.OVERWRITE);
    }

    /** The file's bytes, or null when there is none; refuses files too large to be metadata. */
    private byte[] readBytes(Location file) {
        byte[] bytes;
        try (InputStream in = store.read(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (ObjectNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalStateException(file + " is larger than " + MAX_BYTES + " bytes; not checkpoint metadata");
        }
        return bytes;
    }

    private static JsonParser openObject(Location file, byte[] bytes) throws IOException {
        JsonParser p = JSON.createParser(bytes);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.close();
            throw new IllegalStateException(file + " is not a JSON object");
        }
        return p;
    }

    /** [init, commit], each null when absent. */
    private Long[] read(Location checkpoint) {
        Long[] values = new Long[2];
        Location file = checkpoint.resolve(FILE_NAME);
        byte[] bytes = readBytes(file);
        if (bytes == null) {
            return values;
        }
        try (JsonParser p = openObject(file, bytes)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT && field.equals(INIT_FIELD)) {
                    values[0] = p.getLongValue();
                } else if (value == JsonToken.VALUE_NUMBER_INT && field.equals(COMMIT_FIELD)) {
                    values[1] = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid JSON: " + Messages.quote(e.getMessage()), e);
        }
        return values;
    }
}
