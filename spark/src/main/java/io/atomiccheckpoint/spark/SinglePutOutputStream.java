package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;

/**
 * The stream {@code createAtomic} returns: nothing reaches the store until {@link #close()}, which sends the whole
 * file in one put, create-only or replacing. There is no temporary file in the store and no rename, so a reader
 * sees the file whole or not at all, and of two create-only writers exactly one wins; the other's {@code close()}
 * throws {@link org.apache.hadoop.fs.FileAlreadyExistsException}, which Spark's metadata log reports as a
 * concurrent update. {@link #cancel()} writes nothing.
 */
final class SinglePutOutputStream extends CheckpointFileManager.CancellableFSDataOutputStream {
    private final SpoolingOutputStream spool;
    private final Store store;
    private final Location target;
    private final Path path;
    private final PutMode mode;
    private boolean finished;

    SinglePutOutputStream(Store store, Location target, Path path, PutMode mode) {
        this(new SpoolingOutputStream(), store, target, path, mode);
    }

    private SinglePutOutputStream(SpoolingOutputStream spool, Store store, Location target, Path path, PutMode mode) {
        super(spool);
        this.spool = spool;
        this.store = store;
        this.target = target;
        this.path = path;
        this.mode = mode;
    }

    @Override
    public synchronized void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            super.close();
            StoreFiles.call(mode == PutMode.CREATE ? "create-only write" : "write", path,
                    () -> store.put(target, spool.payload(), mode));
        } finally {
            spool.discard();
        }
    }

    @Override
    public synchronized void cancel() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            super.close();
        } catch (IOException ignored) {
            // Only the local spool is closed here; nothing was sent, and the spool is dropped below.
        } finally {
            try {
                spool.discard();
            } catch (IOException ignored) {
                // A temporary file that could not be deleted; the JVM's temporary directory keeps it.
            }
        }
    }
}
