package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.ForwardingObjectStore;
import io.atomiccheckpoint.store.WriteMode;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Makes create-only writes and copies to the same key from this JVM take turns, for tests that race writers
 * against S3Mock. S3Mock checks {@code If-None-Match: *} and then writes, not atomically, so two concurrent
 * create-only PutObjects can both succeed ({@code S3MockGapsTest.emulatorGapConcurrentCreateOnlyPutsCanBothWin});
 * Amazon S3 decides them atomically. Taking turns lets the server's (sequentially correct) check decide every
 * race, as S3 would; everything else goes straight to the store.
 */
public final class SerializedCreateOnlyWrites extends ForwardingObjectStore {
    private static final int STRIPES = 64;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public SerializedCreateOnlyWrites(ObjectStore delegate) {
        super(delegate);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    protected void beforeCall(String operation, Location location) {
    }

    @Override
    public ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
        return inTurn(location, mode, () -> super.write(location, data, length, mode));
    }

    @Override
    public ObjectInfo copy(Location source, Location target, WriteMode mode) {
        return inTurn(target, mode, () -> super.copy(source, target, mode));
    }

    @Override
    public ObjectInfo copy(Location source, ObjectInfo sourceInfo, Location target, WriteMode mode) {
        return inTurn(target, mode, () -> super.copy(source, sourceInfo, target, mode));
    }

    private ObjectInfo inTurn(Location target, WriteMode mode, Supplier<ObjectInfo> call) {
        if (mode != WriteMode.CREATE) {
            return call.get();
        }
        ReentrantLock lock = lockFor(target);
        lock.lock();
        try {
            return call.get();
        } finally {
            lock.unlock();
        }
    }

    private ReentrantLock lockFor(Location location) {
        return locks[Math.floorMod(location.hashCode(), STRIPES)];
    }
}
