package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.store.StoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * For store authors: wraps an SDK's response stream so that a failure while reading (a connection reset, a body
 * cut short, a checksum mismatch, an interrupt) reaches the caller as an {@link IOException} whose cause is a
 * {@link StoreException} with its kind, as {@link ObjectStore#get} promises. The store supplies the translation,
 * from its one error table; a failure that already carries a {@link StoreException} passes unchanged.
 */
public final class TranslatingInputStream extends FilterInputStream {
    private final Function<Exception, StoreException> translate;

    public TranslatingInputStream(InputStream in, Function<Exception, StoreException> translate) {
        super(Objects.requireNonNull(in, "in"));
        this.translate = Objects.requireNonNull(translate, "translate");
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
        StoreException cause = translate.apply(e);
        return new IOException(cause.getMessage(), cause);
    }
}
