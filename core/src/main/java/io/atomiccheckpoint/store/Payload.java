package io.atomiccheckpoint.store;

import io.atomiccheckpoint.ErrorKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of a put: an array, a stream of a known length, or a local file. Stores that have a faster path
 * for one kind (an SDK's file upload, a byte-array request body) test for it; every kind can be read as a
 * stream with {@link #open()}.
 */
public sealed interface Payload permits Payload.Bytes, Payload.Stream, Payload.File {
    /** The number of bytes. */
    long length();

    /**
     * A stream over the bytes; the caller closes it. A {@link Stream} payload can be opened once only (a store
     * that retries a failed upload must buffer it, or fail and let the caller retry).
     */
    InputStream open();

    /** Whether {@link #open()} may be called more than once, so a failed upload can be sent again. */
    boolean replayable();

    static Payload of(byte[] data) {
        return new Bytes(data);
    }

    static Payload of(InputStream data, long length) {
        return new Stream(data, length);
    }

    static Payload ofFile(Path file) {
        return new File(file);
    }

    /** An array; never copied, so the caller must not change it until the put returns. */
    record Bytes(byte[] data) implements Payload {
        public Bytes {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public long length() {
            return data.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(data);
        }

        @Override
        public boolean replayable() {
            return true;
        }
    }

    /** A stream of exactly {@code length} bytes; a store that reads fewer fails the put. */
    record Stream(InputStream data, long length) implements Payload {
        public Stream {
            Objects.requireNonNull(data, "data");
            if (length < 0) {
                throw new IllegalArgumentException("length must be at least 0, was " + length);
            }
        }

        @Override
        public InputStream open() {
            return data;
        }

        @Override
        public boolean replayable() {
            return false;
        }
    }

    /** A local regular file, not a symbolic link; its size is read when the payload is made. */
    record File(Path path, long length) implements Payload {
        public File(Path path) {
            this(path, sizeOf(path));
        }

        public File {
            Objects.requireNonNull(path, "path");
        }

        private static long sizeOf(Path path) {
            try {
                if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new StoreException(ErrorKind.INVALID_INPUT, "put", null, "local file " + path
                            + " is not a regular file (a directory, a symbolic link or missing)");
                }
                return Files.size(path);
            } catch (IOException e) {
                throw new StoreException(ErrorKind.INVALID_INPUT, "put", null, "cannot read local file " + path, e);
            }
        }

        @Override
        public InputStream open() {
            try {
                return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new StoreException(ErrorKind.INVALID_INPUT, "put", null, "cannot read local file " + path, e);
            }
        }

        @Override
        public boolean replayable() {
            return true;
        }
    }
}
