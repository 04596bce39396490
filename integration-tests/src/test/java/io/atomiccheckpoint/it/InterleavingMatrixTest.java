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
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.it.HoldingObjectStore.Phase;
import io.atomiccheckpoint.it.HoldingObjectStore.Point;
import io.atomiccheckpoint.it.HoldingObjectStore.Request;
import io.atomiccheckpoint.it.WriterContentCheck.Verdict;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stale-writer matrix on every store. One writer is held at a point of its life while the other writer, or
 * an operator, acts on the same checkpoint (a new {@code create()}, a whole save, {@code cleanupTemporaries(0)},
 * {@code delete}); then the held writer goes on. Held points: mid-staging, at each commit step, in the middle of
 * {@code create()} (its lease taken, nothing deleted yet; between two delete batches), and in the middle of one
 * request whose effect landed but whose response the writer has not seen (a data copy, the manifest's lease
 * update, the marker copy). Both roles: the older attempt A is held while B acts, and the newer attempt B is
 * held while the stale A acts. In every cell at most one checkpoint is committed, it holds exactly one writer's
 * objects with their bytes and nothing else, every reader helper agrees with deep validation, and a writer
 * that did not commit was told with a {@link CommitConflictException}.
 */
class InterleavingMatrixTest {
    private static final long WAIT_SECONDS = 120;
    private static final int A_OBJECTS = 4;
    private static final int B_OBJECTS = 3;

    /** Where the held writer is held: at a commit step (observer), or in the middle of a request. */
    enum Hold {
        MID_STAGING(null, null),
        MID_CREATE_LEASE_TAKEN(null, new Point(Request.LEASE_PUT, Phase.AFTER, 1)),
        MID_CREATE_BETWEEN_DELETES(null, new Point(Request.DELETE, Phase.AFTER, 1)),
        STARTED(CommitStep.STARTED, null),
        MID_COPY(CommitStep.OBJECT_COPIED, null),
        DATA_COPY_RESPONSE(null, new Point(Request.DATA_COPY, Phase.AFTER, 1)),
        BEFORE_MARKER(CommitStep.BEFORE_MARKER, null),
        MANIFEST_RESPONSE(null, new Point(Request.MANIFEST_PUT, Phase.AFTER, 1)),
        MARKER_COPY_RESPONSE(null, new Point(Request.MARKER_COPY, Phase.AFTER, 1)),
        MARKER_WRITTEN(CommitStep.MARKER_WRITTEN, null),
        MID_CLEANUP(CommitStep.TEMPORARY_BATCH_DELETED, null);

        final CommitStep step;
        final Point request;

        Hold(CommitStep step, Point request) {
            this.step = step;
            this.request = request;
        }

        boolean inCreate() {
            return this == MID_CREATE_LEASE_TAKEN || this == MID_CREATE_BETWEEN_DELETES;
        }
    }

    /** What the acting writer or operator does while the other is held. */
    enum Act {
        CREATE, SAVE, CLEANUP_TEMPORARIES, DELETE
    }

    /** Which writer is held: the older attempt A (B acts), or the newer attempt B (the stale A acts). */
    enum Role {
        OLDER_HELD, NEWER_HELD
    }

    static List<StoreFixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void noStaleWriterCanTearOrSpoilACheckpoint(StoreFixture fixture) throws Exception {
        Store store = fixture.store();
        CommitSettings settings = CommitSettings.builder().copyConcurrency(1).listPageSize(2).deleteBatchSize(2)
                .deleteConcurrency(1).build();
        Location root = fixture.newScratchLocation();
        int cells = 0;
        long started = System.nanoTime();
        for (Role role : Role.values()) {
            for (Hold hold : Hold.values()) {
                for (Act act : Act.values()) {
                    String cell = fixture.name() + " " + role + " " + hold + " x " + act;
                    Location finalLocation = root.resolve("cell_" + cells).resolve("step_1");
                    Cell run = new Cell(store, settings, finalLocation, hold, act);
                    Outcome outcome = role == Role.OLDER_HELD ? run.olderHeld() : run.newerHeld();
                    judge(fixture.name(), cell, store, settings, finalLocation, outcome);
                    cells++;
                }
            }
        }
        EvidenceTable.add(fixture.name(), Column.INTERLEAVINGS, cells);
        System.out.println(fixture.name() + ": " + cells + " stale-writer cells in "
                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    private static void judge(String storeName, String cell, Store store, CommitSettings settings,
            Location finalLocation, Outcome outcome) {
        Verdict verdict = WriterContentCheck.judge(storeName, new PrefixCopyCommit(store, settings), store, settings,
                finalLocation, Map.of("a", WriterContentCheck.expected("a", A_OBJECTS, finalLocation),
                "b", WriterContentCheck.expected("b", B_OBJECTS, finalLocation)), cell);
        if (verdict.committed()) {
            assertThat(verdict.writer().equals("a") ? outcome.aCommitted : outcome.bCommitted)
                    .as(cell + ": the writer whose content is committed was told it committed").isTrue();
        } else {
            assertThat((outcome.aCommitted || outcome.bCommitted) && !outcome.deleted)
                    .as(cell + ": a writer was told it committed, yet there is no checkpoint").isFalse();
        }
        assertThat(outcome.aCommitted && outcome.bCommitted).as(cell + ": two writers both committed").isFalse();
        for (Throwable loss : outcome.losses) {
            assertThat(loss).as(cell + ": a writer that lost is told so").isInstanceOf(CommitConflictException.class);
        }
    }

    /** What each writer was told. */
    private static final class Outcome {
        boolean aCommitted;
        boolean bCommitted;
        boolean deleted;
        final List<Throwable> losses = new ArrayList<>();

        void told(String writer, boolean committed) {
            if (writer.equals("a")) {
                aCommitted |= committed;
            } else {
                bCommitted |= committed;
            }
        }
    }

    /** Where the held writer waits until the other has acted: reached when it gets there, then released. */
    private static final class Gate {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void hold() {
            if (reached.getCount() == 0) {
                return;
            }
            reached.countDown();
            try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitReached(String what) throws InterruptedException {
            assertThat(reached.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("held writer reached " + what).isTrue();
        }
    }

    /** One cell: the writers, the hold and the act. */
    private static final class Cell {
        final Store store;
        final CommitSettings settings;
        final PrefixCopyCommit strategy;
        final Location finalLocation;
        final Hold hold;
        final Act act;
        final Gate gate = new Gate();
        final Outcome outcome = new Outcome();

        Cell(Store store, CommitSettings settings, Location finalLocation, Hold hold, Act act) {
            this.store = store;
            this.settings = settings;
            this.strategy = new PrefixCopyCommit(store, settings);
            this.finalLocation = finalLocation;
            this.hold = hold;
            this.act = act;
        }

        /** A path of {@code writer} that is held at this cell's point. */
        TemporaryPath held(String writer) {
            PrefixCopyCommit through = strategy;
            if (hold.request != null) {
                through = new PrefixCopyCommit(Store.of(new HoldingObjectStore(store.spi(), settings.markerName(),
                        hold.request, 0, what -> gate.hold(), RequestGauge.inMemory())), settings);
            }
            return through.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId(writer)
                    .observer((step, index) -> {
                        if (hold.step == step && index <= 1) {
                            gate.hold();
                        }
                    }).build());
        }

        /** A is held; B, the newer attempt or an operator, acts. */
        Outcome olderHeld() throws Exception {
            if (hold == Hold.MID_CREATE_BETWEEN_DELETES) {
                // An abandoned attempt, so that A's create() has something to delete in two batches.
                TemporaryPath abandoned = strategy.fromFinal(finalLocation);
                abandoned.createBlocking();
                WriterContentCheck.stage(abandoned, "z", 0, 3);
            }
            runHeld(held("a"), "a", A_OBJECTS, () -> act(null));
            return outcome;
        }

        /** A, older, staged half; B, newer, is held; the stale A (or an operator) acts. */
        Outcome newerHeld() throws Exception {
            TemporaryPath a = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("a").build());
            a.createBlocking();
            WriterContentCheck.stage(a, "a", 0, A_OBJECTS / 2);
            runHeld(held("b"), "b", B_OBJECTS, () -> act(a));
            return outcome;
        }

        /**
         * Runs the held writer's save ({@code count} objects), holding it at this cell's point while {@code acting}
         * runs, and records what it was told.
         */
        private void runHeld(TemporaryPath path, String writer, int count, Runnable acting) throws Exception {
            if (hold.inCreate()) {
                CompletableFuture<?> created = path.create().toCompletableFuture();
                gate.awaitReached(hold.toString());
                acting.run();
                gate.release.countDown();
                try {
                    created.get(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    outcome.losses.add(e.getCause());
                    return;
                }
                WriterContentCheck.stage(path, writer, 0, count);
                finish(path.commit().toCompletableFuture(), writer);
                return;
            }
            path.createBlocking();
            WriterContentCheck.stage(path, writer, 0, count / 2);
            if (hold == Hold.MID_STAGING) {
                acting.run();
                try {
                    WriterContentCheck.stage(path, writer, count / 2, count);
                    finish(path.commit().toCompletableFuture(), writer);
                } catch (RuntimeException stale) {
                    outcome.losses.add(stale);
                }
                return;
            }
            WriterContentCheck.stage(path, writer, count / 2, count);
            CompletableFuture<CommitResult> commit = path.commit().toCompletableFuture();
            gate.awaitReached(hold.toString());
            acting.run();
            gate.release.countDown();
            finish(commit, writer);
        }

        private void finish(CompletableFuture<CommitResult> commit, String writer) throws Exception {
            try {
                CommitResult result = commit.get(WAIT_SECONDS, TimeUnit.SECONDS);
                result.cleanup().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
                outcome.told(writer, true);
            } catch (ExecutionException e) {
                outcome.losses.add(e.getCause());
            }
        }

        /**
         * The act. With {@code staleA} null the actor is B, a newer attempt; else the stale A acts: its save
         * stages the rest of its objects into its own attempt and commits it, its create starts afresh.
         */
        private void act(TemporaryPath staleA) {
            String writer = staleA == null ? "b" : "a";
            CheckpointDirectory directory = new CheckpointDirectory(store, finalLocation.parent().orElseThrow(),
                    settings, Clock.systemUTC());
            try {
                switch (act) {
                    case CREATE:
                        strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId(writer).build())
                                .createBlocking();
                        break;
                    case SAVE:
                        TemporaryPath path = staleA;
                        if (path == null) {
                            path = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("b").build());
                            path.createBlocking();
                            WriterContentCheck.stage(path, "b", 0, B_OBJECTS);
                        } else {
                            WriterContentCheck.stage(path, "a", A_OBJECTS / 2, A_OBJECTS);
                        }
                        path.commitBlocking().cleanup().toCompletableFuture().join();
                        outcome.told(writer, true);
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
                // The actor may lose too (the other committed first, or there is nothing to delete): valid.
                if (act == Act.SAVE || act == Act.CREATE) {
                    outcome.losses.add(refused);
                }
            }
        }
    }
}
