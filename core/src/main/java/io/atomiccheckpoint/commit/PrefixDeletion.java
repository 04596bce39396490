package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.internal.OrderedPipeline;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.Store;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Deletes every object below a location in the store's largest batches, several batch requests at a time,
 * while streaming the listing, so neither the listing nor the batches in flight grow with the number of
 * objects. Failures are collected, not
 * thrown: the callers decide whether a partial deletion matters.
 */
public final class PrefixDeletion {
    private static final int FAILURE_SAMPLE = 100;

    private final long deleted;
    private final long failed;
    private final long replaced;
    private final List<String> failures;

    private PrefixDeletion(long deleted, long failed, long replaced, List<String> failures) {
        this.deleted = deleted;
        this.failed = failed;
        this.replaced = replaced;
        this.failures = List.copyOf(failures);
    }

    /**
     * Deletes everything below {@code location}, the location's own folder placeholder ({@code location/}, zero
     * bytes, as consoles and Hadoop connectors make) included, then the store's unfinished upload files and empty
     * directories (local disks). Listing page size, batch size and the number of batch requests in flight come
     * from {@code settings}; batches are sent while the listing goes on, and at most two per request in flight are
     * held in memory.
     *
     * @param onBatch told the 1-based number of each batch once it and every batch before it are done
     */
    public static PrefixDeletion run(Store store, Location location, CommitSettings settings, LongConsumer onBatch) {
        return run(store, location, settings, o -> true, onBatch);
    }

    /**
     * As {@link #run(Store, Location, CommitSettings, LongConsumer)}, deleting only the listed objects
     * {@code include} accepts.
     */
    public static PrefixDeletion run(Store store, Location location, CommitSettings settings,
            Predicate<ObjectInfo> include, LongConsumer onBatch) {
        PrefixDeletion deletion;
        try (Stream<ObjectInfo> listing = store.listWithPlaceholder(location, settings.listPageSize())) {
            Iterator<ObjectInfo> it = listing.filter(include).iterator();
            deletion = deleteAll(store, new Iterator<Location>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Location next() {
                    return location.sameBucket(it.next().key());
                }
            }, settings, onBatch);
        }
        // Half-written uploads of killed or revoked writers are invisible to the listing above; whoever may delete
        // the whole prefix may delete them too, and a directory holding only those must not survive as "not empty".
        store.removeUploadLeftovers(location);
        store.pruneEmptyDirectories(location);
        return deletion;
    }

    /**
     * Deletes the given objects in the store's largest batches, several batch requests at a time, consuming the
     * iterator as it goes (so a caller that already knows the keys needs no listing). At most two batches per
     * request in flight are held in memory.
     *
     * @param onBatch told the 1-based number of each batch once it and every batch before it are done
     */
    public static PrefixDeletion deleteAll(Store store, Iterator<Location> locations, CommitSettings settings,
            LongConsumer onBatch) {
        return inBatches(store, locations, store::deleteBatch, settings, onBatch);
    }

    /**
     * As {@link #deleteAll}, each object only while it is still the version it was listed at
     * ({@link Store#deleteBatchIfUnchanged}); one replaced since is kept and counted as a failure of kind
     * {@link io.atomiccheckpoint.ErrorKind#PRECONDITION_FAILED} (see {@link #replaced()}).
     */
    public static PrefixDeletion deleteAllIfUnchanged(Store store, Iterator<ObjectVersion> objects,
            CommitSettings settings, LongConsumer onBatch) {
        return inBatches(store, objects, store::deleteBatchIfUnchanged, settings, onBatch);
    }

    private static <T> PrefixDeletion inBatches(Store store, Iterator<T> items,
            Function<List<T>, List<DeleteResult>> request, CommitSettings settings, LongConsumer onBatch) {
        int batchSize = settings.deleteBatchSize(store);
        int concurrency = settings.deleteConcurrency();
        Tally tally = new Tally(onBatch);
        try (OrderedPipeline<List<DeleteResult>> deletes = new OrderedPipeline<>("delete", concurrency,
                2 * concurrency, tally::add)) {
            List<T> batch = new ArrayList<>(batchSize);
            while (items.hasNext()) {
                batch.add(items.next());
                if (batch.size() == batchSize || !items.hasNext()) {
                    List<T> full = batch;
                    deletes.submit(() -> request.apply(full));
                    batch = new ArrayList<>(batchSize);
                }
            }
            deletes.drain();
        }
        return new PrefixDeletion(tally.deleted, tally.failed, tally.replaced, tally.failures);
    }

    /** Counts outcomes; called on the listing thread only, in batch order. */
    private static final class Tally {
        private final LongConsumer onBatch;
        private final List<String> failures = new ArrayList<>();
        private long deleted;
        private long failed;
        private long replaced;
        private long batches;

        Tally(LongConsumer onBatch) {
            this.onBatch = onBatch;
        }

        void add(List<DeleteResult> results) {
            for (DeleteResult r : results) {
                if (r.succeeded()) {
                    deleted++;
                } else {
                    failed++;
                    if (r.kind() == ErrorKind.PRECONDITION_FAILED) {
                        replaced++;
                    }
                    if (failures.size() < FAILURE_SAMPLE) {
                        failures.add(r.toString());
                    }
                }
            }
            onBatch.accept(++batches);
        }
    }

    /** {@link #run(Store, Location, CommitSettings, LongConsumer)} without progress reports. */
    public static PrefixDeletion run(Store store, Location location, CommitSettings settings) {
        return run(store, location, settings, n -> { });
    }

    public long deleted() {
        return deleted;
    }

    public long failed() {
        return failed;
    }

    /** Of the failures, the objects a pinned delete kept because they were replaced after they were listed. */
    public long replaced() {
        return replaced;
    }

    /** Up to 100 failure descriptions. */
    public List<String> failures() {
        return failures;
    }
}
