package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removing a prefix sends its batch deletes several at a time, bounded, and reports them in order. */
class PrefixDeletionTest {
    @TempDir
    Path dir;

    /** Counts batch requests in flight; the first two wait for each other, so they must overlap. */
    private static final class OverlapCheckingStore extends ForwardingObjectStore {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final CountDownLatch firstTwo = new CountDownLatch(2);
        volatile boolean overlapped;

        OverlapCheckingStore(FileSystemObjectStore files) {
            super(files);
        }

        @Override
        protected void beforeCall(String operation, Location location) {
        }

        @Override
        public List<DeleteResult> delete(List<Location> locations) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                firstTwo.countDown();
                // Sequential batches would wait here in vain; the timeout only bounds that failure.
                overlapped |= firstTwo.await(30, TimeUnit.SECONDS);
                return super.delete(locations);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void batchesRunConcurrentlyWithinTheLimitAndAreReportedInOrder() {
        FileSystemObjectStore spi = new FileSystemObjectStore();
        OverlapCheckingStore checking = new OverlapCheckingStore(spi);
        Store store = Store.of(checking);
        Store files = Store.of(spi);
        Location prefix = Location.of(dir).resolve("tmp");
        Location outside = Location.of(dir).resolve("tmp-sibling/keep");
        for (int i = 0; i < 50; i++) {
            files.write(prefix.resolve(String.format("d%d/o%03d", i % 3, i)), new byte[] {(byte) i},
                    PutMode.CREATE);
        }
        files.write(outside, new byte[] {1}, PutMode.CREATE);
        CommitSettings settings = CommitSettings.builder().deleteBatchSize(7).deleteConcurrency(3).build();
        List<Long> reported = Collections.synchronizedList(new ArrayList<>());

        PrefixDeletion deletion = PrefixDeletion.run(store, prefix, settings, reported::add);

        assertThat(deletion.deleted()).isEqualTo(50);
        assertThat(deletion.failed()).isZero();
        assertThat(checking.overlapped).as("two batch deletes in flight at once").isTrue();
        assertThat(checking.maxInFlight.get()).as("batch deletes in flight").isBetween(2, 3);
        assertThat(reported).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        try (Stream<ObjectInfo> left = files.list(prefix)) {
            assertThat(left).isEmpty();
        }
        assertThat(files.stat(outside)).as("object outside the prefix").isPresent();
    }
}
