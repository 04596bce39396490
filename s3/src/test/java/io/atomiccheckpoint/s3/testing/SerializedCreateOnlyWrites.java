package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.DeleteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Makes conditional writes to the same key from this JVM take turns, for tests that race writers against
 * S3Mock. S3Mock 5.2.0 checks {@code If-None-Match: *} and {@code If-Match} and then writes, not atomically, so two
 * concurrent create-only PutObjects, or two updates from one version, can both succeed
 * ({@code S3MockGapsTest.emulatorGapConcurrentCreateOnlyPutsCanBothWin},
 * {@code S3MockGapsTest.emulatorGapConcurrentConditionalUpdatesCanBothWin}); Amazon S3 decides them atomically.
 * Taking turns lets the server's (sequentially correct) check decide every race, as S3 would. Create-only copies
 * take turns too.
 *
 * <p>S3Mock also copies non-atomically: a copy whose source is deleted while it runs can leave wrong bytes at the
 * target, and since S3Mock ignores {@code If-None-Match} on CopyObject, a losing committer's copy racing the
 * winner's clean-up could replace a committed object (seen in the shared race test). S3 copies atomically. So every
 * copy also takes its turn with the deletes of its source. Unconditional writes and everything else go straight to
 * the store.
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

    /** Nothing to add before a call: the turns are taken around the conditional ones below. */
    @Override
    protected void beforeCall(String operation, Location location) {
    }

    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        return inTurn(location, mode, () -> super.put(location, payload, mode));
    }

    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        return inTurns(List.of(source, target), () -> super.copy(source, target, options));
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        return inTurns(locations, () -> super.delete(locations));
    }

    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        return inTurns(objects.stream().map(ObjectVersion::location).toList(), () -> super.deleteIfUnchanged(objects));
    }

    /** Runs {@code call} holding the stripes of every key, taken in ascending order so no two calls deadlock. */
    private <T> T inTurns(List<Location> keys, Supplier<T> call) {
        TreeSet<Integer> stripes = new TreeSet<>();
        for (Location key : keys) {
            stripes.add(Math.floorMod(key.hashCode(), STRIPES));
        }
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (int stripe : stripes) {
                locks[stripe].lock();
                held.add(locks[stripe]);
            }
            return call.get();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    private ObjectInfo inTurn(Location target, PutMode mode, Supplier<ObjectInfo> call) {
        if (mode instanceof PutMode.Overwrite) {
            return call.get();
        }
        ReentrantLock lock = locks[Math.floorMod(target.hashCode(), STRIPES)];
        lock.lock();
        try {
            return call.get();
        } finally {
            lock.unlock();
        }
    }
}
