package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.AttemptNotSealedException;
import io.atomiccheckpoint.atomicity.AttemptSupersededException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.Checks.ReaderView;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commits through a store whose HTTP layer fails 5% or 30% of requests: each commit either succeeds
 * through the SDK's retries or fails with an error and leaves the checkpoint uncommitted. Never a marker
 * without all its objects.
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
        Location root = fixture.newScratchLocation();
        int committed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Location finalLocation = root.resolve("step_" + round);
            TemporaryPath writer = clean.fromFinal(finalLocation);
            writer.createBlocking();
            for (int i = 0; i < OBJECTS; i++) {
                writer.staging().write("part-" + i, ("part " + i).getBytes(StandardCharsets.UTF_8));
            }
            // The writers are done: the committer below is another path object, which resumes only a sealed attempt.
            writer.seal();
            String outcome;
            try (Store faulty = fixture.storeWithFaults(rate, fault, 1000L * round + (long) (rate * 100))) {
                CommitResult result = new PrefixCopyCommit(faulty, settings).fromTemporary(writer.get()).commitBlocking();
                outcome = "committed " + result.manifest().objectCount();
                committed++;
            } catch (RuntimeException failed) {
                outcome = "failed: " + failed;
                assertThat(failed.getMessage()).as("a failed commit says why").isNotBlank();
                assertThat(failed).as("a fault, not a protocol refusal").isNotInstanceOf(AttemptNotSealedException.class)
                        .isNotInstanceOf(AttemptSupersededException.class);
            }
            ReaderView view = Checks.readerView(clean, finalLocation);
            // Counted whether or not torn, so a 0 in the table is a measurement.
                EvidenceTable.add(fixture.name(), Column.TORN_SEEN, view == ReaderView.TORN ? 1 : 0);
            assertThat(view).as(fixture.name() + " " + fault + " at " + rate + " round " + round + ": " + outcome)
                    .isNotEqualTo(ReaderView.TORN);
            if (outcome.startsWith("committed")) {
                assertThat(view).as(outcome).isEqualTo(ReaderView.COMPLETE);
            }
            if (view == ReaderView.ABSENT) {
                // A failed commit leaves its attempt intact and resumable.
                clean.fromTemporary(writer.get()).commitBlocking().cleanup().toCompletableFuture().join();
                view = Checks.readerView(clean, finalLocation);
                assertThat(view).as(outcome + ", then resumed").isEqualTo(ReaderView.COMPLETE);
                EvidenceTable.add(fixture.name(), rate < 0.1 ? Column.FAULT_RESUMED_5 : Column.FAULT_RESUMED_30, 1);
            }
            if (view == ReaderView.COMPLETE) {
                for (int i = 0; i < OBJECTS; i++) {
                    assertThat(Checks.read(fixture.store(), finalLocation.resolve("part-" + i))).isEqualTo("part " + i);
                }
            }
        }
        boolean low = rate < 0.1;
        if (low) {
            // Stores with SDK retries absorb a 5 % fault rate; the filesystem store has no retries at all.
            int atLeast = fixture.name().equals("filesystem") ? 1 : (ROUNDS + 1) / 2;
            assertThat(committed).as(fixture.name() + ": commits at 5 % faults").isGreaterThanOrEqualTo(atLeast);
        }
        EvidenceTable.add(fixture.name(), low ? Column.FAULT_RUNS_5 : Column.FAULT_RUNS_30, ROUNDS);
        EvidenceTable.add(fixture.name(), low ? Column.FAULT_COMMITTED_5 : Column.FAULT_COMMITTED_30, committed);
    }
}
