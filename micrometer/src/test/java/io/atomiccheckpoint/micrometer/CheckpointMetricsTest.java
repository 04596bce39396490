package io.atomiccheckpoint.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.When;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reads every meter the binding promises from a {@link SimpleMeterRegistry} after a real commit. */
class CheckpointMetricsTest {
    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final CheckpointMetrics metrics = new CheckpointMetrics(registry, Tags.of("job", "test"));
    private final InMemoryObjectStore memory = new InMemoryObjectStore();

    private double counter(String name, String... tags) {
        return registry.get(name).tags("job", "test").tags(tags).counter().count();
    }

    @Test
    void aCommitFeedsPhaseTimersTransferCountersAndRequestCounters() {
        // Each copy request takes 10 ms of the registry's clock, so the phase timers have known lengths.
        memory.intercept(call -> {
            if (call.when() == When.BEFORE && call.operation().equals("copy")) {
                // Copies run on several threads and MockClock.add is a read-modify-write: one at a time.
                synchronized (clock) {
                    clock.add(Duration.ofMillis(10));
                }
            }
        });
        memory.failWhen(call -> call.operation().equals("put") && call.location().name().equals("b.bin"),
                When.BEFORE, 1);
        Location at = Location.parse("mem://bucket/run/step_1");
        CommitResult result;
        try (Store store = Store.of(metrics.instrument(memory))) {
            TemporaryPath path = new PrefixCopyCommit(store)
                    .fromFinal(at, TemporaryPathOptions.builder().observer(metrics.commitObserver()).build());
            path.createBlocking();
            path.staging().write("a.bin", new byte[100]);
            assertThatThrownBy(() -> path.staging().write("b.bin", new byte[23])).isInstanceOf(StoreException.class);
            path.staging().write("b.bin", new byte[23]);
            result = path.commitBlocking();
            result.cleanup().toCompletableFuture().join();
        }

        assertThat(counter(CheckpointMetrics.OBJECTS, "transfer", "staged")).isEqualTo(2);
        assertThat(counter(CheckpointMetrics.BYTES, "transfer", "staged")).isEqualTo(123);
        assertThat(counter(CheckpointMetrics.OBJECTS, "transfer", "copied")).isEqualTo(result.manifest().objectCount());
        assertThat(counter(CheckpointMetrics.BYTES, "transfer", "copied")).isEqualTo(result.manifest().totalBytes());

        assertThat(counter(CheckpointMetrics.FAILURES, "operation", "put", "kind", "transient")).isEqualTo(1);
        assertThat(registry.find(CheckpointMetrics.FAILURES).tags("operation", "copy").counter()).isNull();
        // The objects' copies plus the marker's (the lease copied onto the marker name).
        assertThat(counter(CheckpointMetrics.REQUESTS, "operation", "copy")).isEqualTo(result.manifest().objectCount() + 1);
        assertThat(counter(CheckpointMetrics.REQUESTS, "operation", "list")).isPositive();
        assertThat(counter(CheckpointMetrics.REQUESTS, "operation", "delete")).isPositive();

        var copy = registry.get(CheckpointMetrics.PHASE_TIMER).tags("phase", "copy").timer();
        assertThat(copy.count()).isEqualTo(1);
        assertThat(copy.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10.0 * result.manifest().objectCount());
        var marker = registry.get(CheckpointMetrics.PHASE_TIMER).tags("phase", "marker").timer();
        assertThat(marker.count()).isEqualTo(1);
        assertThat(marker.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10.0);
        assertThat(registry.get(CheckpointMetrics.PHASE_TIMER).tags("phase", "cleanup").timer().count()).isEqualTo(1);
    }

    @Test
    void aBatchDeleteIsOneRequestAndEachObjectItCouldNotDeleteIsAFailure() {
        Location a = Location.parse("mem://bucket/x/a");
        Location b = Location.parse("mem://bucket/x/b");
        memory.failWhen(call -> call.operation().startsWith("delete") && call.location().equals(b), When.BEFORE, 1);
        try (Store store = Store.of(metrics.instrument(memory))) {
            store.write(a, new byte[1], io.atomiccheckpoint.store.PutMode.CREATE);
            store.write(b, new byte[1], io.atomiccheckpoint.store.PutMode.CREATE);
            store.deleteBatch(java.util.List.of(a, b));
        }

        assertThat(counter(CheckpointMetrics.REQUESTS, "operation", "delete")).isEqualTo(1);
        assertThat(counter(CheckpointMetrics.REQUESTS, "operation", "put")).isEqualTo(2);
        assertThat(registry.get(CheckpointMetrics.FAILURES).tags("operation", "delete").counter().count()).isEqualTo(1);
    }
}
