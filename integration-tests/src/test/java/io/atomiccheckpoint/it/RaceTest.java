package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two committers of the same sealed attempt at once, as after a primary restart that left a zombie: exactly one
 * marker is written, every committer that succeeds reports that marker, a loser gets a
 * {@link CommitConflictException}, and what readers of the committed checkpoint get never changes after the
 * commit.
 */
class RaceTest {
    private static final int ROUNDS = 50;
    private static final int OBJECTS = 6;

    static List<StoreFixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void twoCommittersHaveOneWinnerAndTheCommitNeverChanges(StoreFixture fixture) throws Exception {
        PrefixCopyCommit strategy = new PrefixCopyCommit(fixture.store(),
                CommitSettings.builder().copyConcurrency(4).build());
        Location root = fixture.newScratchLocation();
        for (int round = 0; round < ROUNDS; round++) {
            Location finalLocation = root.resolve("step_" + round);
            TemporaryPath primary = strategy.fromFinal(finalLocation,
                    TemporaryPathOptions.builder().writerId("primary").build());
            primary.createBlocking();
            for (int i = 0; i < OBJECTS; i++) {
                primary.staging().write("part-" + i, ("round " + round + " part " + i).getBytes(StandardCharsets.UTF_8));
            }
            // The writers declared staging complete: a zombie primary may resume the attempt.
            primary.seal();
            TemporaryPath zombie = strategy.fromTemporary(primary.get(),
                    TemporaryPathOptions.builder().writerId("zombie").build());

            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Map<String, String>> atCommit = new AtomicReference<>();
            // The first committer to return snapshots what readers see, while the other may still be running.
            Runnable snapshot = () -> atCommit.compareAndSet(null, Checks.snapshot(fixture.store(), finalLocation));
            List<CompletableFuture<CommitResult>> racers = List.of(race(primary, start, snapshot),
                    race(zombie, start, snapshot));
            start.countDown();
            java.util.Set<String> markers = new java.util.HashSet<>();
            for (CompletableFuture<CommitResult> racer : racers) {
                try {
                    markers.add(racer.get().manifest().commitId().orElseThrow());
                } catch (ExecutionException e) {
                    // Both committers hold the same attempt: a loser is told another committer of it went first.
                    Throwable cause = e.getCause();
                    assertThat(cause).as("round " + round).isInstanceOf(CommitConflictException.class);
                    assertThat(cause.getMessage()).as("round " + round).contains(root.toString());
                }
            }
            // Whoever succeeded reports the one marker; a co-committer that finds it reports success too.
            assertThat(markers).as("round " + round + ": markers reported").hasSize(1);
            assertThat(Checks.snapshot(fixture.store(), finalLocation)).as("round " + round + ": unchanged after commit")
                    .isEqualTo(atCommit.get());
            DeepValidationReport report = strategy.validateDeep(finalLocation);
            assertThat(report.isIntact()).as("round " + round + ": " + report).isTrue();
            for (int i = 0; i < OBJECTS; i++) {
                assertThat(Checks.read(fixture.store(), finalLocation.resolve("part-" + i)))
                        .isEqualTo("round " + round + " part " + i);
            }
        }
        EvidenceTable.add(fixture.name(), Column.RACE_ROUNDS, ROUNDS);
    }

    private static CompletableFuture<CommitResult> race(TemporaryPath path, CountDownLatch start, Runnable onWin) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            CommitResult result = path.commitBlocking();
            onWin.run();
            return result;
        });
    }
}
