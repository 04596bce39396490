package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.atomicity.AttemptNotSealedException;
import io.atomiccheckpoint.atomicity.AttemptSupersededException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.it.IndependentChecker.Judgement;
import io.atomiccheckpoint.it.IndependentChecker.Staged;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commits through a store whose HTTP layer fails 5% or 30% of requests (before the request or after it, when the
 * response is lost): each commit either succeeds through the SDK's retries or fails with an error and leaves the
 * checkpoint uncommitted, judged by the {@link IndependentChecker}; every failed commit is then resumed to the
 * writer's complete checkpoint. At 5 % each store must commit at least the stated share of its attempts.
 */
class FaultInjectionTest {
    private static final int ROUNDS = 4;
    private static final int OBJECTS = 10;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (StoreFixture fixture : Fixtures.all()) {
            for (double rate : new double[] {0.05, 0.30}) {
                for (StoreFixture.Fault fault : fixture.supportedFaults()) {
                    cases.add(Arguments.of(fixture, rate, fault));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {2} at {1}")
    @MethodSource("cases")
    void commitsUnderFaultsAreCompleteOrAbsent(StoreFixture fixture, double rate, StoreFixture.Fault fault)
            throws Exception {
        CommitSettings settings = CommitSettings.builder().copyConcurrency(4).listPageSize(4).build();
        PrefixCopyCommit clean = new PrefixCopyCommit(fixture.store(), settings);
        IndependentChecker checker = new IndependentChecker(fixture.store(), settings);
        Location root = fixture.newScratchLocation();
        int committed = 0;
        long lostBefore = GcsFixture.LOST_RESPONSES.get();
        for (int round = 0; round < ROUNDS; round++) {
            Location roundRoot = root.resolve("round_" + round);
            Location finalLocation = roundRoot.resolve("step_1");
            Staged staged = Staged.seeded("writer", finalLocation, OBJECTS);
            TemporaryPath writer = clean.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("writer").build());
            writer.createBlocking();
            staged.stageInto(writer.staging());
            // The writers are done: the committer below is another path object, which resumes only a sealed attempt.
            writer.seal();
            String outcome;
            boolean ok = false;
            try (Store faulty = fixture.storeWithFaults(rate, fault, 1000L * round + (long) (rate * 100))) {
                CommitResult result = new PrefixCopyCommit(faulty, settings).fromTemporary(writer.get()).commitBlocking();
                outcome = "committed " + result.manifest().objectCount();
                ok = true;
                committed++;
                EvidenceTable.add(fixture, Column.COMMITS, 1);
            } catch (RuntimeException failed) {
                outcome = "failed: " + failed;
                // One line per failed commit, so a run's log says why its committed share is what it is.
                System.out.println(fixture.name() + " " + fault + " at " + rate + " round " + round + " "
                        + Messages.quote(outcome));
                assertThat(failed.getMessage()).as("a failed commit says why").isNotBlank();
                assertThat(failed).as("a fault, not a protocol refusal").isNotInstanceOf(AttemptNotSealedException.class)
                        .isNotInstanceOf(AttemptSupersededException.class);
            }
            String where = fixture.name() + " " + fault + " at " + rate + " round " + round + ": " + outcome;
            Judgement judged = checker.judgeWithLibrary(clean, roundRoot, finalLocation, List.of(staged));
            judged = ok ? judged.record(fixture, "writer") : judged.record(fixture);
            assertThat(judged.torn()).as(where + ": " + judged).isFalse();
            assertThat(judged.libraryAgrees()).as(where + ": " + judged).isTrue();
            if (ok) {
                assertThat(judged.completeOf("writer")).as(where + ": " + judged).isTrue();
            }
            if (judged.absent()) {
                // A failed commit leaves its attempt intact and resumable: resume it through the store without faults.
                clean.fromTemporary(writer.get()).commitBlocking().cleanup().toCompletableFuture().join();
                EvidenceTable.add(fixture, Column.COMMITS, 1);
                Judgement resumed = checker.judgeWithLibrary(clean, roundRoot, finalLocation, List.of(staged))
                        .record(fixture, "writer");
                assertThat(resumed.completeOf("writer")).as(where + ", then resumed: " + resumed).isTrue();
                EvidenceTable.add(fixture, rate < 0.1 ? Column.FAULT_RESUMED_5 : Column.FAULT_RESUMED_30, 1);
            }
        }
        if (fixture instanceof GcsFixture && fault == StoreFixture.Fault.CONNECTION_RESET) {
            // Resets on GCS come after the server acted: the case must really have lost some responses.
            assertThat(GcsFixture.LOST_RESPONSES.get()).as("responses lost after the request").isGreaterThan(lostBefore);
        }
        boolean low = rate < 0.1;
        if (low) {
            // The stated share: stores with SDK retries commit at least half their attempts at 5 %; the filesystem
            // store has no retries at all (every operation is a fault opportunity), so at least one.
            int atLeast = fixture.name().equals("filesystem") ? 1 : (ROUNDS + 1) / 2;
            assertThat(committed).as(fixture.name() + ": commits at 5 % faults").isGreaterThanOrEqualTo(atLeast);
        }
        EvidenceTable.add(fixture, low ? Column.FAULT_RUNS_5 : Column.FAULT_RUNS_30, ROUNDS);
        EvidenceTable.add(fixture, low ? Column.FAULT_COMMITTED_5 : Column.FAULT_COMMITTED_30, committed);
    }
}
