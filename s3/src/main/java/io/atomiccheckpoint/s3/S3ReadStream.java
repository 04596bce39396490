package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a GetObject as the SPI hands it out: a failure while reading (a connection reset, a body cut
 * short, a checksum mismatch, an interrupt) is an {@link IOException} whose cause is a {@link StoreException}
 * with the kind {@link S3Errors} gives it, so callers see the same error model for streams as for requests.
 */
final class S3ReadStream extends FilterInputStream {
    private final S3Errors errors;
    private final Location location;

    S3ReadStream(InputStream in, S3Errors errors, Location location) {
        super(in);
        this.errors = errors;
        this.location = location;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return super.available();
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    private IOException failure(Exception e) {
        if (e instanceof IOException && e.getCause() instanceof StoreException) {
            return (IOException) e;
        }
        StoreException cause;
        if (Thread.currentThread().isInterrupted()) {
            cause = new StoreException(ErrorKind.INTERRUPTED, "get", location, "interrupted while reading", e);
        } else {
            cause = errors.translate("get", location, e);
        }
        return new IOException(cause.getMessage(), cause);
    }
}
