package io.atomiccheckpoint.metadata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * {@code _CHECKPOINT_METADATA} inside the checkpoint, with the reference implementation's field names
 * ({@code init_timestamp_nsecs}, {@code commit_timestamp_nsecs}), so the file is committed with the rest.
 */
public final class StoreCheckpointMetadata implements CheckpointMetadataStore {
    /** The reference implementation's metadata file name. */
    public static final String FILE_NAME = "_CHECKPOINT_METADATA";
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_BYTES = 64 * 1024;

    private final Store store;

    public StoreCheckpointMetadata(Store store) {
        this.store = store;
    }

    @Override
    public void writeInitTimestamp(Location temporary, Instant init) {
        write(temporary, nanos(init), null);
    }

    @Override
    public void writeCommitTimestamp(Location temporary, Instant commit) {
        Long[] existing = read(temporary);
        write(temporary, existing[0], nanos(commit));
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

    private void write(Location checkpoint, Long init, Long commit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (init != null) {
                g.writeNumberField("init_timestamp_nsecs", init);
            }
            if (commit != null) {
                g.writeNumberField("commit_timestamp_nsecs", commit);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.write(checkpoint.resolve(FILE_NAME), out.toByteArray(), PutMode.OVERWRITE);
    }

    /** [init, commit], each null when absent. */
    private Long[] read(Location checkpoint) {
        Long[] values = new Long[2];
        Location file = checkpoint.resolve(FILE_NAME);
        byte[] bytes;
        try (InputStream in = store.read(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (ObjectNotFoundException e) {
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalStateException(file + " is larger than " + MAX_BYTES + " bytes; not checkpoint metadata");
        }
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException(file + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT && field.equals("init_timestamp_nsecs")) {
                    values[0] = p.getLongValue();
                } else if (value == JsonToken.VALUE_NUMBER_INT && field.equals("commit_timestamp_nsecs")) {
                    values[1] = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        return values;
    }
}
