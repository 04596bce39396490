package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;

/**
 * A seekable read of one object, as Hadoop's {@code FSDataInputStream} requires: a seek reopens the object at the
 * new offset, pinned to the version seen when the file was opened, so a file replaced meanwhile fails the read
 * instead of mixing two versions.
 */
final class StoreInputStream extends FSInputStream {
    private final Store store;
    private final Location location;
    private final Path path;
    private final long length;
    private final String version;
    private InputStream in;
    private long pos;
    private boolean closed;

    StoreInputStream(Store store, Location location, Path path, ObjectInfo info) {
        this.store = store;
        this.location = location;
        this.path = path;
        this.length = info.size();
        this.version = info.version().orElse(null);
    }

    @Override
    public synchronized void seek(long target) throws IOException {
        checkOpen();
        if (target < 0 || target > length) {
            throw new EOFException("cannot seek to " + target + " in " + Messages.quote(path) + " of " + length
                    + " bytes");
        }
        if (target != pos) {
            closeStream();
            pos = target;
        }
    }

    @Override
    public synchronized long getPos() {
        return pos;
    }

    @Override
    public boolean seekToNewSource(long targetPos) {
        return false;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!ensureStream()) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            pos++;
        }
        return b;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!ensureStream()) {
            return -1;
        }
        int n = in.read(b, off, len);
        if (n > 0) {
            pos += n;
        }
        return n;
    }

    @Override
    public synchronized int available() throws IOException {
        checkOpen();
        return (int) Math.min(Integer.MAX_VALUE, length - pos);
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        closeStream();
    }

    private boolean ensureStream() throws IOException {
        checkOpen();
        if (pos >= length) {
            return false;
        }
        if (in == null) {
            try {
                in = StoreFiles.call("read", path, () -> store.read(location, new GetOptions(pos, -1, version)));
            } catch (FileAlreadyExistsException changed) {
                // StoreFiles reports a refused condition as a lost create-only race; here it is a replaced file.
                throw new IOException(Messages.quote(path) + " was replaced since it was opened", changed.getCause());
            }
        }
        return true;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("read of " + Messages.quote(path) + " after close");
        }
    }

    private void closeStream() throws IOException {
        if (in != null) {
            InputStream old = in;
            in = null;
            old.close();
        }
    }
}
