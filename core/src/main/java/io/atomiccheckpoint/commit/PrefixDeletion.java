package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Deletes every object below a location in the store's largest batches while streaming the listing, so
 * neither the listing nor the batch queue grows with the number of objects. Failures are collected, not
 * thrown: the callers decide whether a partial deletion matters.
 */
public final class PrefixDeletion {
    private static final int FAILURE_SAMPLE = 100;

    private final long deleted;
    private final long failed;
    private final List<String> failures;

    private PrefixDeletion(long deleted, long failed, List<String> failures) {
        this.deleted = deleted;
        this.failed = failed;
        this.failures = List.copyOf(failures);
    }

    /**
     * Deletes everything below {@code location}, then prunes its empty directories (local disks). Listing
     * page size and batch size come from {@code settings}.
     *
     * @param onBatch told the 1-based number of each batch once it is done
     */
    public static PrefixDeletion run(ObjectStore store, Location location, CommitSettings settings, LongConsumer onBatch) {
        int batchSize = settings.deleteBatchSize(store);
        int pageSize = settings.listPageSize();
        long deleted = 0;
        long failed = 0;
        long batches = 0;
        List<String> failures = new ArrayList<>();
        List<Location> batch = new ArrayList<>(batchSize);
        try (Stream<ObjectInfo> listing = store.list(location, pageSize)) {
            Iterator<ObjectInfo> it = listing.iterator();
            while (it.hasNext() || !batch.isEmpty()) {
                if (it.hasNext()) {
                    batch.add(location.sameBucket(it.next().key()));
                }
                if (batch.size() == batchSize || (!it.hasNext() && !batch.isEmpty())) {
                    for (DeleteResult r : store.deleteBatch(batch)) {
                        if (r.succeeded()) {
                            deleted++;
                        } else {
                            failed++;
                            if (failures.size() < FAILURE_SAMPLE) {
                                failures.add(r.toString());
                            }
                        }
                    }
                    batch.clear();
                    onBatch.accept(++batches);
                }
            }
        }
        store.pruneEmptyDirectories(location);
        return new PrefixDeletion(deleted, failed, failures);
    }

    /** {@link #run(ObjectStore, Location, CommitSettings, LongConsumer)} without progress reports. */
    public static PrefixDeletion run(ObjectStore store, Location location, CommitSettings settings) {
        return run(store, location, settings, n -> { });
    }

    public long deleted() {
        return deleted;
    }

    public long failed() {
        return failed;
    }

    /** Up to 100 failure descriptions. */
    public List<String> failures() {
        return failures;
    }
}
