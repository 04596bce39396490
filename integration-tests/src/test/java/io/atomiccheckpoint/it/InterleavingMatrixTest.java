package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.IndependentChecker.Judgement;
import io.atomiccheckpoint.it.IndependentChecker.Staged;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stale-writer matrix on every store: writer A is held at a point of its life (mid-staging, or at a commit
 * step) while writer B, a newer attempt or an operator, acts on the same checkpoint (a new {@code create()}, a
 * whole save, {@code cleanupTemporaries(0)}, {@code delete}); then A goes on. In every cell at most one
 * checkpoint is committed, the {@link IndependentChecker} finds exactly one writer's objects with their bytes and
 * nothing else, the library's readers agree with it, and a writer that did not commit was told with a
 * {@link CommitConflictException}. Runs on the in-memory store too (in-process only).
 */
class InterleavingMatrixTest {
    private static final long WAIT_SECONDS = 120;
    private static final int OBJECTS = 4;

    /** Where A is held. */
    enum Hold {
        MID_STAGING(null),
        STARTED(CommitStep.STARTED),
        MID_COPY(CommitStep.OBJECT_COPIED),
        BEFORE_MARKER(CommitStep.BEFORE_MARKER),
        MARKER_WRITTEN(CommitStep.MARKER_WRITTEN),
        MID_CLEANUP(CommitStep.TEMPORARY_BATCH_DELETED);

        final CommitStep step;

        Hold(CommitStep step) {
            this.step = step;
        }
    }

    /** What B does while A is held. */
    enum Act {
        CREATE, SAVE, CLEANUP_TEMPORARIES, DELETE
    }

    static List<StoreFixture> fixtures() {
        return Fixtures.inProcess();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void noStaleWriterCanTearOrSpoilACheckpoint(StoreFixture fixture) throws Exception {
        Store store = fixture.store();
        CommitSettings settings = CommitSettings.builder().copyConcurrency(1).listPageSize(2).deleteBatchSize(2).build();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store, settings);
        IndependentChecker checker = new IndependentChecker(store, settings);
        Location root = fixture.newScratchLocation();
        int cells = 0;
        for (Hold hold : Hold.values()) {
            for (Act act : Act.values()) {
                String cell = fixture.name() + " " + hold + " x " + act;
                Location finalLocation = root.resolve("step_" + cells);
                Staged a = Staged.seeded("a", finalLocation, OBJECTS);
                Staged b = Staged.seeded("b", finalLocation, OBJECTS - 1);
                Outcome outcome = runCell(strategy, settings, store, root, finalLocation, hold, act, a, b);
                String told = outcome.aCommitted ? "a" : outcome.bCommitted && !outcome.deleted ? "b" : null;
                Judgement judged = checker.judgeWithLibrary(strategy, root, finalLocation, List.of(a, b));
                judged = told == null || outcome.deleted ? judged.record(fixture) : judged.record(fixture, told);
                assertThat(judged.torn()).as(cell + ": " + judged).isFalse();
                assertThat(judged.libraryAgrees()).as(cell + ": the library's readers agree: " + judged).isTrue();
                if (judged.complete()) {
                    assertThat(judged.completeOf("a") ? outcome.aCommitted : outcome.bCommitted).as(cell + ": the writer"
                            + " whose content is committed was told it committed: " + judged).isTrue();
                } else {
                    assertThat((outcome.aCommitted || outcome.bCommitted) && !outcome.deleted)
                            .as(cell + ": a writer was told it committed, yet there is no checkpoint").isFalse();
                }
                if (outcome.aCommitted || outcome.bCommitted) {
                    EvidenceTable.add(fixture, Column.COMMITS, (outcome.aCommitted ? 1 : 0) + (outcome.bCommitted ? 1 : 0));
                }
                assertThat(outcome.aCommitted && outcome.bCommitted).as(cell + ": two writers both committed").isFalse();
                for (Throwable loss : outcome.losses) {
                    assertThat(loss).as(cell + ": a writer that lost is told so").isInstanceOf(CommitConflictException.class);
                }
                cells++;
            }
        }
        EvidenceTable.add(fixture, Column.INTERLEAVINGS, cells);
    }

    /** What each writer was told. */
    private static final class Outcome {
        boolean aCommitted;
        boolean bCommitted;
        boolean deleted;
        final List<Throwable> losses = new ArrayList<>();
    }

    private static Outcome runCell(PrefixCopyCommit strategy, CommitSettings settings, Store store, Location root,
            Location finalLocation, Hold hold, Act act, Staged a, Staged b) throws Exception {
        Outcome outcome = new Outcome();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TemporaryPath writerA = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("a")
                .observer((step, index) -> {
                    if (hold.step == step && index <= 1 && reached.getCount() > 0) {
                        reached.countDown();
                        awaitQuietly(release);
                    }
                }).build());
        writerA.createBlocking();
        a.stageInto(writerA.staging(), OBJECTS / 2);
        CompletableFuture<CommitResult> aCommit = null;
        if (hold == Hold.MID_STAGING) {
            act(strategy, settings, store, root, finalLocation, act, outcome, b);
            try {
                a.stageInto(writerA.staging());
                aCommit = writerA.commit().toCompletableFuture();
            } catch (RuntimeException stale) {
                outcome.losses.add(stale);
            }
        } else {
            a.stageInto(writerA.staging());
            aCommit = writerA.commit().toCompletableFuture();
            assertThat(reached.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("A reached " + hold).isTrue();
            act(strategy, settings, store, root, finalLocation, act, outcome, b);
            release.countDown();
        }
        if (aCommit != null) {
            try {
                CommitResult result = aCommit.get(WAIT_SECONDS, TimeUnit.SECONDS);
                result.cleanup().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
                outcome.aCommitted = true;
            } catch (ExecutionException e) {
                outcome.losses.add(e.getCause());
            }
        }
        return outcome;
    }

    private static void act(PrefixCopyCommit strategy, CommitSettings settings, Store store, Location root,
            Location finalLocation, Act act, Outcome outcome, Staged staged) {
        CheckpointDirectory directory = new CheckpointDirectory(store, root, settings, Clock.systemUTC());
        try {
            switch (act) {
                case CREATE:
                    strategy.fromFinal(finalLocation).createBlocking();
                    break;
                case SAVE:
                    TemporaryPath b = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("b").build());
                    b.createBlocking();
                    staged.stageInto(b.staging());
                    b.commitBlocking().cleanup().toCompletableFuture().join();
                    outcome.bCommitted = true;
                    break;
                case CLEANUP_TEMPORARIES:
                    directory.cleanupTemporaries(Duration.ZERO);
                    break;
                case DELETE:
                    directory.delete(finalLocation);
                    outcome.deleted = true;
                    break;
                default:
                    throw new IllegalStateException(act.toString());
            }
        } catch (RuntimeException refused) {
            // B may lose too (A committed first, or there is nothing to delete); that is a valid outcome.
            if (act == Act.SAVE || act == Act.CREATE) {
                outcome.losses.add(refused);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
