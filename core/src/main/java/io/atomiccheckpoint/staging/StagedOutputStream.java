package io.atomiccheckpoint.staging;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An output stream that becomes one object when closed. Object stores need the length before an upload
 * starts, so bytes are buffered: in memory up to {@link #MEMORY_LIMIT}, then in a local temporary file.
 * Nothing is visible in the store until {@link #close()} returns.
 *
 * <p>A producer that fails must call {@link #abort()} before the stream is closed, or a try-with-resources
 * block would publish the bytes written so far as the whole object. {@link StagingArea#write(String,
 * StagingArea.Producer)} does this for you: it publishes only when the producer returns normally.
 */
public final class StagedOutputStream extends OutputStream {
    /** Bytes kept in memory before spilling to a local file. */
    public static final int MEMORY_LIMIT = 8 * 1024 * 1024;

    private final Store store;
    private final Location target;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path spillFile;
    private OutputStream spill;
    private ObjectInfo result;
    private boolean closed;

    StagedOutputStream(Store store, Location target) {
        this.store = store;
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream for " + target + " is closed");
        }
        if (spill == null && memory.size() + len > MEMORY_LIMIT) {
            spillFile = io.atomiccheckpoint.internal.SpoolFiles.create(".staged");
            spill = Files.newOutputStream(spillFile);
            memory.writeTo(spill);
            memory = null;
        }
        if (spill != null) {
            spill.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
    }

    /**
     * Discards what was written: nothing is uploaded, and a later {@link #close()} does nothing. For a producer
     * that failed half way.
     */
    public void abort() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        memory = null;
        try {
            if (spill != null) {
                spill.close();
            }
        } finally {
            if (spillFile != null) {
                Files.deleteIfExists(spillFile);
            }
        }
    }

    /** Uploads the bytes written as the object, unless {@link #abort()} was called; the object exists once this returns. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (spill != null) {
                spill.close();
                result = store.writeFile(target, spillFile, PutMode.OVERWRITE);
            } else {
                result = store.write(target, memory.toByteArray(), PutMode.OVERWRITE);
            }
        } finally {
            memory = null;
            if (spillFile != null) {
                Files.deleteIfExists(spillFile);
            }
        }
    }

    /** The written object's information, once closed. */
    public Optional<ObjectInfo> result() {
        return Optional.ofNullable(result);
    }

    /** Where the bytes go. */
    public Location target() {
        return target;
    }
}
