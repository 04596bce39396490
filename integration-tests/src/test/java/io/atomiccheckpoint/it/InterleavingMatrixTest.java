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
import io.atomiccheckpoint.it.Checks.ReaderView;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stale-writer matrix on every store: writer A is held at a point of its life (mid-staging, or at a commit
 * step) while writer B, a newer attempt or an operator, acts on the same checkpoint (a new {@code create()}, a
 * whole save, {@code cleanupTemporaries(0)}, {@code delete}); then A goes on. In every cell at most one
 * checkpoint is committed, it holds exactly one writer's objects with their bytes and nothing else, every reader
 * helper agrees with deep validation, and a writer that did not commit was told with a
 * {@link CommitConflictException}.
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
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void noStaleWriterCanTearOrSpoilACheckpoint(StoreFixture fixture) throws Exception {
        Store store = fixture.store();
        CommitSettings settings = CommitSettings.builder().copyConcurrency(1).listPageSize(2).deleteBatchSize(2).build();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store, settings);
        Location root = fixture.newScratchLocation();
        int cells = 0;
        for (Hold hold : Hold.values()) {
            for (Act act : Act.values()) {
                String cell = fixture.name() + " " + hold + " x " + act;
                Location finalLocation = root.resolve("step_" + cells);
                Outcome outcome = runCell(strategy, settings, store, root, finalLocation, hold, act);
                ReaderView view = Checks.readerView(strategy, finalLocation);
                boolean listed;
                try (Stream<?> committed = new CheckpointDirectory(store, root, settings, Clock.systemUTC()).committed()
                        .filter(c -> c.location().equals(finalLocation))) {
                    listed = committed.findAny().isPresent();
                }
                // Counted whether or not torn, so a 0 in the table is a measurement.
                    EvidenceTable.add(fixture.name(), Column.TORN_SEEN, view == ReaderView.TORN ? 1 : 0);
                assertThat(view).as(cell).isNotEqualTo(ReaderView.TORN);
                assertThat(listed).as(cell + ": CheckpointDirectory agrees with deep validation")
                        .isEqualTo(view == ReaderView.COMPLETE);
                Map<String, String> content = contentOf(store, finalLocation, settings);
                if (view == ReaderView.COMPLETE) {
                    boolean isA = content.equals(expected("a", finalLocation));
                    boolean isB = content.equals(expected("b", finalLocation));
                    assertThat(isA || isB).as(cell + ": exactly one writer's objects, nothing else: " + content).isTrue();
                    assertThat(isA ? outcome.aCommitted : outcome.bCommitted).as(cell + ": the writer whose content"
                            + " is committed was told it committed").isTrue();
                    long lost = (isA ? expected("a", finalLocation) : expected("b", finalLocation)).entrySet().stream()
                            .filter(e -> !e.getValue().equals(content.get(e.getKey()))).count();
                    EvidenceTable.add(fixture.name(), Column.OBJECTS_LOST, lost);
                } else {
                    assertThat((outcome.aCommitted || outcome.bCommitted) && !outcome.deleted)
                            .as(cell + ": a writer was told it committed, yet there is no checkpoint").isFalse();
                }
                assertThat(outcome.aCommitted && outcome.bCommitted).as(cell + ": two writers both committed").isFalse();
                for (Throwable loss : outcome.losses) {
                    assertThat(loss).as(cell + ": a writer that lost is told so").isInstanceOf(CommitConflictException.class);
                }
                cells++;
            }
        }
        EvidenceTable.add(fixture.name(), Column.INTERLEAVINGS, cells);
    }

    /** What each writer was told. */
    private static final class Outcome {
        boolean aCommitted;
        boolean bCommitted;
        boolean deleted;
        final List<Throwable> losses = new ArrayList<>();
    }

    private static Outcome runCell(PrefixCopyCommit strategy, CommitSettings settings, Store store, Location root,
            Location finalLocation, Hold hold, Act act) throws Exception {
        Outcome outcome = new Outcome();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TemporaryPath a = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("a")
                .observer((step, index) -> {
                    if (hold.step == step && index <= 1 && reached.getCount() > 0) {
                        reached.countDown();
                        awaitQuietly(release);
                    }
                }).build());
        a.createBlocking();
        stage(a, "a", finalLocation, OBJECTS / 2);
        CompletableFuture<CommitResult> aCommit = null;
        if (hold == Hold.MID_STAGING) {
            act(strategy, settings, store, root, finalLocation, act, outcome);
            try {
                stage(a, "a", finalLocation, OBJECTS);
                aCommit = a.commit().toCompletableFuture();
            } catch (RuntimeException stale) {
                outcome.losses.add(stale);
            }
        } else {
            stage(a, "a", finalLocation, OBJECTS);
            aCommit = a.commit().toCompletableFuture();
            assertThat(reached.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("A reached " + hold).isTrue();
            act(strategy, settings, store, root, finalLocation, act, outcome);
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
            Location finalLocation, Act act, Outcome outcome) {
        CheckpointDirectory directory = new CheckpointDirectory(store, root, settings, Clock.systemUTC());
        try {
            switch (act) {
                case CREATE:
                    strategy.fromFinal(finalLocation).createBlocking();
                    break;
                case SAVE:
                    TemporaryPath b = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("b").build());
                    b.createBlocking();
                    stage(b, "b", finalLocation, OBJECTS - 1);
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

    /** Stages the writer's objects up to {@code upTo}, each holding its writer, name and final location. */
    private static void stage(TemporaryPath path, String writer, Location finalLocation, int upTo) {
        for (int i = 0; i < upTo; i++) {
            String name = writer + "/part-" + i;
            path.staging().write(name, (name + " of " + finalLocation).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> expected(String writer, Location finalLocation) {
        Map<String, String> content = new TreeMap<>();
        int count = writer.equals("a") ? OBJECTS : OBJECTS - 1;
        for (int i = 0; i < count; i++) {
            String name = writer + "/part-" + i;
            content.put(name, name + " of " + finalLocation);
        }
        return content;
    }

    /** Every object below the final location except the marker, relative name to bytes. */
    private static Map<String, String> contentOf(Store store, Location finalLocation, CommitSettings settings) {
        Map<String, String> content = new TreeMap<>();
        try (Stream<ObjectInfo> listing = store.list(finalLocation)) {
            listing.forEach(o -> {
                String name = finalLocation.relativeKey(o.key()).orElseThrow();
                if (!name.equals(settings.markerName())) {
                    content.put(name, Checks.read(store, finalLocation.sameBucket(o.key())));
                }
            });
        }
        return content;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
