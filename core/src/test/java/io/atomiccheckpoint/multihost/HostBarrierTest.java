package io.atomiccheckpoint.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hosts meet through the store: they learn the primary's attempt from it and the primary waits for them. */
class HostBarrierTest {
    private final Store store = Store.of(new InMemoryObjectStore());
    private final PrefixCopyCommit strategy = new PrefixCopyCommit(store);
    private final Location finalLocation = Location.parse("mem://bucket/job/step_3");

    @Test
    void hostsWriteIntoTheAttemptTheirPrimaryAnnouncedAndThePrimaryCommitsAfterAll() throws Exception {
        List<CompletableFuture<Void>> hosts = new ArrayList<>();
        for (String host : List.of("host-1", "host-2")) {
            hosts.add(CompletableFuture.runAsync(() -> {
                Location temporary = strategy.fromFinal(finalLocation).get();
                HostBarrier barrier = new HostBarrier(store, temporary, "launch-1");
                Location attempt = barrier.awaitCreated(Duration.ofSeconds(30));
                strategy.fromTemporary(attempt).staging().write(host + "/shard", host.getBytes(StandardCharsets.UTF_8));
                barrier.signalDone(host);
            }));
        }
        TemporaryPath primary = strategy.fromFinal(finalLocation);
        HostBarrier barrier = new HostBarrier(store, primary.get(), "launch-1");
        primary.createBlocking();
        barrier.signalCreated(primary.get());
        primary.staging().write("host-0/shard", new byte[] {0});
        barrier.signalDone("host-0");
        barrier.awaitDone(List.of("host-0", "host-1", "host-2"), Duration.ofSeconds(30));
        for (CompletableFuture<Void> host : hosts) {
            host.get(30, TimeUnit.SECONDS);
        }
        CommitResult result = primary.commitBlocking();
        // Three shards and three done signals.
        assertThat(result.manifest().objectCount()).isEqualTo(6);
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void aHostThatNeverReportsIsNamed() throws Exception {
        TemporaryPath primary = strategy.fromFinal(finalLocation);
        HostBarrier barrier = new HostBarrier(store, primary.get(), "launch-2");
        primary.createBlocking();
        barrier.signalCreated(primary.get());
        barrier.signalDone("host-0");
        assertThatThrownBy(() -> barrier.awaitDone(List.of("host-0", "host-7"), Duration.ofMillis(200)))
                .isInstanceOf(HostsNotReadyException.class).hasMessageContaining("host-7")
                .satisfies(e -> assertThat(((HostsNotReadyException) e).hosts()).containsExactly("host-7"));
    }

    @Test
    void anAnnouncementOfAnotherLaunchIsIgnored() {
        TemporaryPath primary = strategy.fromFinal(finalLocation);
        new HostBarrier(store, primary.get(), "old-launch").signalCreated(Location.parse("mem://bucket/elsewhere"));
        assertThatThrownBy(() -> new HostBarrier(store, primary.get(), "new-launch").awaitCreated(Duration.ofMillis(100)))
                .isInstanceOf(HostsNotReadyException.class).hasMessageContaining("primary");
    }
}
