package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.When;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two commits that run at the same time share one bounded copy executor: together they never use more threads
 * than it has, start no copy threads of their own, and leave it running for the next commit.
 */
class SharedCopyExecutorTest {
    private static final int THREADS = 3;
    private static final int OBJECTS = 20;
    private static final long WAIT_SECONDS = 30;

    @Test
    void twoParallelCommitsShareABoundedExecutor() throws Exception {
        AtomicInteger created = new AtomicInteger();
        ExecutorService shared = Executors.newFixedThreadPool(THREADS,
                r -> new Thread(r, "shared-copy-" + created.incrementAndGet()));
        InMemoryObjectStore memory = new InMemoryObjectStore();
        Set<String> copyThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        // Each commit's first copy counts down and holds its thread until the other commit's first copy ran:
        // the two commits copy at once. Only those two wait, so the other copies can use the remaining thread.
        CountDownLatch bothCopying = new CountDownLatch(2);
        Set<String> copying = ConcurrentHashMap.newKeySet();
        memory.intercept(call -> {
            if (!call.operation().equals("copy") || call.location().name().equals(CommitSettings.DEFAULT_MARKER_NAME)) {
                return;
            }
            if (call.when() == When.AFTER) {
                inFlight.decrementAndGet();
                return;
            }
            copyThreads.add(Thread.currentThread().getName());
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            if (!copying.add(call.location().parent().orElseThrow().toString())) {
                return;
            }
            bothCopying.countDown();
            try {
                if (!bothCopying.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new StoreException(ErrorKind.TIMEOUT, "copy", call.location(), "the other commit never copied");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(ErrorKind.INTERRUPTED, "copy", call.location(), "interrupted", e);
            }
        });
        PrefixCopyCommit strategy = new PrefixCopyCommit(Store.of(memory),
                CommitSettings.builder().copyConcurrency(8).copyExecutor(shared).build());
        Location one = Location.parse("mem://bucket/run/step_1");
        Location two = Location.parse("mem://bucket/run/step_2");

        CompletableFuture<CommitResult> first = commitWithObjects(strategy, one);
        CompletableFuture<CommitResult> second = commitWithObjects(strategy, two);
        first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        second.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(copying).as("both commits copied").hasSize(2);
        assertThat(mostInFlight.get()).as("copies in flight at once, both commits together").isBetween(2, THREADS);
        assertThat(copyThreads).as("threads that ran copies").allMatch(name -> name.startsWith("shared-copy-"));
        assertThat(created.get()).isLessThanOrEqualTo(THREADS);
        assertThat(Thread.getAllStackTraces().keySet()).as("no per-commit copy pool")
                .noneMatch(t -> t.getName().startsWith("atomic-checkpoint-copy-"));
        assertThat(strategy.validateDeep(one).isIntact()).isTrue();
        assertThat(strategy.validateDeep(two).isIntact()).isTrue();
        assertThat(shared.isShutdown()).as("the library leaves the user's executor running").isFalse();
        shared.shutdown();
        assertThat(shared.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private static CompletableFuture<CommitResult> commitWithObjects(PrefixCopyCommit strategy, Location location)
            throws Exception {
        TemporaryPath checkpoint = strategy.fromFinal(location);
        checkpoint.createBlocking();
        for (int i = 0; i < OBJECTS; i++) {
            checkpoint.staging().write("part-" + i, ("object " + i).getBytes(StandardCharsets.UTF_8));
        }
        return checkpoint.commit().toCompletableFuture();
    }
}
