package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.store.Payload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds what a checkpoint file's writer wrote until it is sent in one put: in memory up to
 * {@value #MEMORY_LIMIT_BYTES} bytes, then in a temporary file (so memory stays bounded whatever the size).
 */
final class SpoolingOutputStream extends OutputStream {
    /** Spark's offsets, commits and metadata files are a few hundred bytes; state snapshots can be large. */
    static final int MEMORY_LIMIT_BYTES = 8 * 1024 * 1024;

    private final int memoryLimit;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileStream;

    SpoolingOutputStream() {
        this(MEMORY_LIMIT_BYTES);
    }

    SpoolingOutputStream(int memoryLimit) {
        this.memoryLimit = memoryLimit;
    }

    @Override
    public void write(int b) throws IOException {
        target(1).write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target(len).write(b, off, len);
    }

    private OutputStream target(int more) throws IOException {
        if (fileStream == null && memory.size() + (long) more > memoryLimit) {
            file = Files.createTempFile("atomiccheckpoint-spark-", ".spool");
            fileStream = Files.newOutputStream(file);
            memory.writeTo(fileStream);
            memory = null;
        }
        return fileStream != null ? fileStream : memory;
    }

    @Override
    public void close() throws IOException {
        if (fileStream != null) {
            fileStream.close();
        }
    }

    /** What was written, once closed. */
    Payload payload() {
        return file != null ? Payload.ofFile(file) : new Payload.Bytes(memory.toByteArray());
    }

    /** Whether the bytes went to a temporary file. */
    boolean spilled() {
        return file != null;
    }

    /** Drops what was written and deletes the temporary file, if any. */
    void discard() throws IOException {
        close();
        memory = null;
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
