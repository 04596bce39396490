package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.IndependentChecker.Judgement;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills a committing process with SIGKILL at every step boundary of a commit, then checks what a fresh
 * reader sees (no checkpoint or a complete one, never a torn one) and that a retried commit, or the
 * clean-up helper, reaches the committed state with every object that was written.
 */
class CrashAtEveryStepTest {
    private static final int OBJECTS = 12;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    static List<StoreFixture> fixtures() {
        return Fixtures.all();
    }

    /** Each step boundary: before any copy, after some, after all, around the marker, during deletion. */
    private static List<Object[]> killPoints() {
        List<Object[]> points = new ArrayList<>();
        points.add(new Object[] {CommitStep.STARTED, 0L});
        points.add(new Object[] {CommitStep.OBJECT_COPIED, 1L});
        points.add(new Object[] {CommitStep.OBJECT_COPIED, (long) OBJECTS / 2});
        points.add(new Object[] {CommitStep.OBJECT_COPIED, (long) OBJECTS});
        points.add(new Object[] {CommitStep.BEFORE_MARKER, 0L});
        points.add(new Object[] {CommitStep.MARKER_WRITTEN, 0L});
        points.add(new Object[] {CommitStep.TEMPORARY_BATCH_DELETED, 1L});
        return points;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aKilledCommitIsNeverTornAndRecoversEveryObject(StoreFixture fixture) throws Exception {
        Store store = fixture.store();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store, CheckpointChild.CRASH_SETTINGS);
        Location root = fixture.newScratchLocation();
        List<String> names = CheckpointChild.crashObjectNames(OBJECTS);
        IndependentChecker checker = new IndependentChecker(store, CheckpointChild.CRASH_SETTINGS);
        int tried = 0;
        for (Object[] point : killPoints()) {
            CommitStep step = (CommitStep) point[0];
            long index = (long) point[1];
            Location finalLocation = root.resolve("step_" + tried);
            List<String> args = new ArrayList<>(List.of("crash", "final=" + finalLocation, "objects=" + OBJECTS,
                    "step=" + step, "index=" + index));
            fixture.config().asMap().forEach((k, v) -> args.add("store." + k + "=" + v));
            try (ChildJvm child = ChildJvm.start(args)) {
                child.awaitLine("WRITTEN", CHILD_TIMEOUT);
                child.awaitLine("PAUSED", CHILD_TIMEOUT);
                child.kill();
            }
            tried++;
            String where = fixture.name() + " killed at " + step + " " + index;

            IndependentChecker.Staged staged = new IndependentChecker.Staged("crashing-child", names,
                    n -> CheckpointChild.content(finalLocation, n).getBytes(StandardCharsets.UTF_8));
            Judgement afterKill = checker.judgeWithLibrary(strategy, root, finalLocation, List.of(staged)).record(fixture);
            assertThat(afterKill.torn()).as(where + ": " + afterKill).isFalse();
            assertThat(afterKill.libraryAgrees()).as(where + ": the library's readers agree: " + afterKill).isTrue();
            boolean markerWritten = step == CommitStep.MARKER_WRITTEN || step == CommitStep.TEMPORARY_BATCH_DELETED;
            assertThat(afterKill.complete()).as(where + ": " + afterKill).isEqualTo(markerWritten);

            Location temporary = CheckpointChild.CRASH_SETTINGS.temporaryFor(finalLocation);
            if (afterKill.absent()) {
                CommitResult resumed = strategy.fromTemporary(temporary).commitBlocking();
                resumed.cleanup().toCompletableFuture().join();
                EvidenceTable.add(fixture, Column.COMMITS, 1);
                assertThat(resumed.manifest().objectCount()).as(where).isEqualTo(OBJECTS);
            } else {
                CheckpointDirectory directory = new CheckpointDirectory(store, root, CheckpointChild.CRASH_SETTINGS,
                        Clock.systemUTC());
                directory.cleanupTemporaries(Duration.ofDays(1));
            }
            Judgement recovered = checker.judgeWithLibrary(strategy, root, finalLocation, List.of(staged))
                    .record(fixture, "crashing-child");
            assertThat(recovered.completeOf("crashing-child")).as(where + ", recovered: " + recovered).isTrue();
            assertThat(recovered.libraryAgrees()).as(where + ", recovered: " + recovered).isTrue();
            assertThat(Checks.snapshot(store, temporary)).as(where + ": temporary location is cleaned").isEmpty();
        }
        EvidenceTable.add(fixture, Column.KILL_POINTS, tried);
        System.out.println(fixture.name() + ": tried " + tried + " kill points");
    }
}
