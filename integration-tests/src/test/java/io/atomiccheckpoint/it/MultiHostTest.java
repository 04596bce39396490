package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.it.IndependentChecker.Judgement;
import io.atomiccheckpoint.it.IndependentChecker.Staged;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.multihost.HostBarrier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Four processes save one checkpoint: each calls {@code fromFinal}, gets the same temporary location and
 * writes its shard; only the primary creates and commits, after every host has signalled through the store
 * that it is done. A host that never reports makes the primary fail with an error naming it.
 */
class MultiHostTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    static List<StoreFixture> fixtures() {
        return Fixtures.all();
    }

    private static ChildJvm host(StoreFixture fixture, Location finalLocation, String host, List<String> hosts,
            boolean primary, String run, Duration barrierTimeout) {
        List<String> args = new ArrayList<>(List.of("host", "final=" + finalLocation, "host=" + host,
                "hosts=" + String.join(",", hosts), "primary=" + primary, "run=" + run,
                "timeoutMs=" + barrierTimeout.toMillis()));
        fixture.config().asMap().forEach((k, v) -> args.add("store." + k + "=" + v));
        return ChildJvm.start(args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fourHostsWriteAndThePrimaryCommitsEveryShard(StoreFixture fixture) throws Exception {
        Location finalLocation = fixture.newScratchLocation().resolve("step_1");
        List<String> hosts = List.of("host-0", "host-1", "host-2", "host-3");
        String run = UUID.randomUUID().toString();
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (String h : hosts) {
                children.add(host(fixture, finalLocation, h, hosts, h.equals("host-0"), run, TIMEOUT));
            }
            children.get(0).awaitLine("COMMITTED", TIMEOUT);
            for (ChildJvm child : children) {
                assertThat(child.waitFor(TIMEOUT)).as(child.stderrText()).isZero();
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        // What the four hosts staged together: their shards, and each host's done signal (holding the run id).
        List<String> names = new ArrayList<>();
        for (String h : hosts) {
            for (int i = 0; i < CheckpointChild.OBJECTS_PER_HOST; i++) {
                names.add(h + "/part-" + i);
            }
            names.add(HostBarrier.DIRECTORY + "/" + h + ".done");
        }
        Staged staged = new Staged("hosts", names, n -> (n.startsWith(HostBarrier.DIRECTORY + "/") ? run
                : CheckpointChild.content(finalLocation, n)).getBytes(StandardCharsets.UTF_8));
        PrefixCopyCommit strategy = new PrefixCopyCommit(fixture.store());
        Judgement judged = new IndependentChecker(fixture.store(), CommitSettings.defaults())
                .judgeWithLibrary(strategy, finalLocation.parent().orElseThrow(), finalLocation, List.of(staged))
                .record(fixture, "hosts");
        assertThat(judged.completeOf("hosts")).as(judged.toString()).isTrue();
        assertThat(judged.libraryAgrees()).as(judged.toString()).isTrue();
        EvidenceTable.add(fixture, Column.COMMITS, 1);
        EvidenceTable.add(fixture, Column.HOSTS, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aHostThatNeverReportsIsNamedAndNothingIsCommitted(StoreFixture fixture) throws Exception {
        Location finalLocation = fixture.newScratchLocation().resolve("step_1");
        List<String> hosts = List.of("host-0", "host-1", "host-2", "host-3");
        String run = UUID.randomUUID().toString();
        List<ChildJvm> children = new ArrayList<>();
        try {
            // The primary waits long enough for hosts 1 and 2 to start and finish; host-3 never starts.
            children.add(host(fixture, finalLocation, "host-0", hosts, true, run, Duration.ofSeconds(15)));
            for (String h : List.of("host-1", "host-2")) {
                children.add(host(fixture, finalLocation, h, hosts, false, run, TIMEOUT));
            }
            for (ChildJvm child : children) {
                child.awaitLine("DONE", TIMEOUT);
            }
            ChildJvm primary = children.get(0);
            assertThat(primary.waitFor(TIMEOUT)).isNotZero();
            assertThat(primary.stderrText()).contains("HostsNotReadyException").contains("not reported: [host-3]");
        } finally {
            children.forEach(ChildJvm::close);
        }
        try {
            new PrefixCopyCommit(fixture.store()).validateFinal(finalLocation);
            throw new AssertionError("a checkpoint was committed without host-3");
        } catch (ValidationError expected) {
            assertThat(expected.rule()).isEqualTo(ValidationError.Rule.NO_MARKER);
        }
    }
}
