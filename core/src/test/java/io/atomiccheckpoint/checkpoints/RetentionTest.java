package io.atomiccheckpoint.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitObserver;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.When;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention policies with Orbax's meanings, their plan, and deletions that never expose a half-deleted checkpoint. */
class RetentionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the test moves, so commit times are known exactly. */
    private static final class StepClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final Store store = Store.of(memory);
    private final Location root = Location.parse("mem://bucket/run");
    private final StepClock clock = new StepClock();

    private CommitResult commit(Store on, Location at, TemporaryPathOptions options) {
        TemporaryPath path = new PrefixCopyCommit(on).fromFinal(at, options);
        path.createBlocking();
        path.staging().write("a.bin", "alpha".getBytes(StandardCharsets.UTF_8));
        path.staging().write("dir/b.bin", "bravo!".getBytes(StandardCharsets.UTF_8));
        CommitResult result = path.commitBlocking();
        result.cleanup().toCompletableFuture().join();
        return result;
    }

    /** Commits step_<s> for each step, {@code minutesApart} minutes of commit time apart. */
    private void commitSteps(long minutesApart, long... steps) {
        for (long s : steps) {
            commit(store, root.resolve("step_" + s), TemporaryPathOptions.builder().clock(clock).build());
            clock.now = clock.now.plus(Duration.ofMinutes(minutesApart));
        }
    }

    private List<String> names(List<RetentionPlan.Decision> decisions) {
        return decisions.stream().map(d -> d.checkpoint().location().name()).collect(Collectors.toList());
    }

    private List<String> committedNames(CheckpointDirectory dir) {
        try (Stream<CommittedCheckpoint> all = dir.committed()) {
            return all.map(c -> c.location().name()).collect(Collectors.toList());
        }
    }

    @Test
    void latestNKeepsTheHighestStepsAndApplyDeletesTheRest() {
        commitSteps(1, 100, 200, 300, 400, 500);
        CheckpointDirectory dir = new CheckpointDirectory(store, root);

        RetentionPlan plan = dir.planRetention(new RetentionPolicy.LatestN(2));

        assertThat(names(plan.toDelete())).containsExactly("step_100", "step_200", "step_300");
        assertThat(names(plan.toKeep())).containsExactly("step_400", "step_500");
        assertThat(committedNames(dir)).hasSize(5);   // planning deletes nothing
        assertThat(dir.applyRetention(plan)).extracting(Location::name)
                .containsExactly("step_100", "step_200", "step_300");
        assertThat(committedNames(dir)).containsExactly("step_400", "step_500");
        assertThat(memory.objectCount()).as("no object of a deleted checkpoint is left").isEqualTo(2 * 3);
    }

    @Test
    void everyNStepsKeepsMultiplesAndTheLatestIsNeverDeleted() {
        commitSteps(1, 0, 100, 200, 300, 400, 500);

        RetentionPlan plan = new CheckpointDirectory(store, root).planRetention(new RetentionPolicy.EveryNSteps(200));

        assertThat(names(plan.toKeep())).containsExactly("step_0", "step_200", "step_400", "step_500");
        assertThat(plan.toKeep().get(3).reasons()).containsExactly(RetentionPlan.LATEST);
        assertThat(plan.toKeep().get(1).reasons()).containsExactly("every-200-steps");
    }

    @Test
    void latestZeroStillKeepsTheLatest() {
        commitSteps(1, 1, 2);
        CheckpointDirectory dir = new CheckpointDirectory(store, root);

        dir.applyRetention(dir.planRetention(new RetentionPolicy.LatestN(0)));

        assertThat(committedNames(dir)).containsExactly("step_2");
    }

    @Test
    void everyNSecondsKeepsOnePerIntervalOfCommitTime() {
        // Commits 20 minutes apart: 0, 20, 40, 60, 80, 100, 120 minutes after T0.
        commitSteps(20, 1, 2, 3, 4, 5, 6, 7);

        RetentionPlan plan = new CheckpointDirectory(store, root).planRetention(RetentionPolicy.EveryNSeconds.of(3600));

        assertThat(names(plan.toKeep())).containsExactly("step_1", "step_4", "step_7");
        assertThat(plan.toKeep().get(0).checkpoint().commitTime()).contains(T0);
    }

    @Test
    void anyOfKeepsWhatAnyPolicyKeepsAndNamesEveryReason() {
        commitSteps(1, 1, 2, 3, 4, 5, 6);
        RetentionPolicy policy = RetentionPolicy.anyOf(new RetentionPolicy.LatestN(2), new RetentionPolicy.EveryNSteps(3),
                new RetentionPolicy.Custom("step-1", c -> c.step().getAsLong() == 1));

        RetentionPlan plan = new CheckpointDirectory(store, root).planRetention(policy);

        assertThat(names(plan.toKeep())).containsExactly("step_1", "step_3", "step_5", "step_6");
        assertThat(names(plan.toDelete())).containsExactly("step_2", "step_4");
        assertThat(plan.toKeep().get(3).reasons()).containsExactly("latest-2", "every-3-steps", RetentionPlan.LATEST);
        assertThat(policy.describe()).isEqualTo("latest-2 or every-3-steps or step-1");
    }

    @Test
    void aCheckpointWithoutAStepIsNeverDeleted() {
        commitSteps(1, 1, 2);
        commit(store, root.resolve("best"), TemporaryPathOptions.defaults());

        RetentionPlan plan = new CheckpointDirectory(store, root).planRetention(new RetentionPolicy.LatestN(1));

        assertThat(names(plan.toDelete())).containsExactly("step_1");
        assertThat(plan.toKeep()).anySatisfy(d -> assertThat(d.reasons()).containsExactly("no step number"));
    }

    @Test
    void aDeletionThatFailsHalfWayLeavesNoCommittedCheckpointBehind() {
        commitSteps(1, 1, 2);
        CheckpointDirectory dir = new CheckpointDirectory(store, root);
        List<String> deletes = new ArrayList<>();
        memory.intercept(call -> {
            if (call.when() == When.BEFORE && call.operation().startsWith("delete")) {
                synchronized (deletes) {
                    deletes.add(call.location().key());
                }
            }
        });
        memory.failWhen(call -> call.operation().startsWith("delete") && call.location().key().endsWith("a.bin"),
                When.BEFORE, 100);

        assertThatThrownBy(() -> dir.applyRetention(dir.planRetention(new RetentionPolicy.LatestN(1))))
                .isInstanceOf(StoreException.class).hasMessageContaining("1 of 1 checkpoints could not be deleted");

        assertThat(deletes.get(0)).as("the marker goes first").isEqualTo("run/step_1/commit_success.txt");
        assertThat(memory.contents(root.resolve("step_1/a.bin"))).as("the fault kept an object").isPresent();
        assertThat(committedNames(dir)).containsExactly("step_2");
        try (Stream<DirectoryEntry> entries = dir.entries()) {
            assertThat(entries.filter(e -> e.location().name().equals("step_1")).findFirst().orElseThrow())
                    .isEqualTo(new DirectoryEntry.Unmarked(root.resolve("step_1"), "no commit marker"));
        }
    }

    @Test
    void onFilesystemAnOrbaxCheckpointIsListedWithItsMarkerTimeAndRetained(@TempDir Path tmp) throws Exception {
        Location fsRoot = Location.parse("file://" + tmp.toAbsolutePath());
        try (Store fs = Store.open(fsRoot, StoreConfig.empty().with("fs.fsync", "false"))) {
            commit(fs, fsRoot.resolve("step_2"), TemporaryPathOptions.defaults());
            commit(fs, fsRoot.resolve("step_3"), TemporaryPathOptions.defaults());
            Path orbax = Files.createDirectories(tmp.resolve("step_1"));
            Files.writeString(orbax.resolve("params.bin"), "weights");
            Files.writeString(orbax.resolve("commit_success.txt"), "Checkpoint commit was successful to " + orbax);
            Files.createDirectories(tmp.resolve("step_4.orbax-checkpoint-tmp"));
            Files.createDirectories(tmp.resolve("step_5"));
            CheckpointDirectory dir = new CheckpointDirectory(fs, fsRoot);

            List<DirectoryEntry> entries;
            try (Stream<DirectoryEntry> all = dir.entries()) {
                entries = all.collect(Collectors.toList());
            }
            assertThat(entries).extracting(e -> e.getClass().getSimpleName() + " " + e.location().name())
                    .containsExactly("CommittedCheckpoint step_1", "CommittedCheckpoint step_2",
                            "CommittedCheckpoint step_3", "Temporary step_4.orbax-checkpoint-tmp", "Unmarked step_5");
            CommittedCheckpoint orbaxEntry = (CommittedCheckpoint) entries.get(0);
            assertThat(orbaxEntry.header().hasInventory()).isFalse();
            assertThat(orbaxEntry.commitTime()).as("the marker's modification time").isPresent();

            dir.applyRetention(dir.planRetention(new RetentionPolicy.LatestN(1)));

            assertThat(committedNames(dir)).containsExactly("step_3");
            assertThat(tmp.resolve("step_1")).as("the Orbax checkpoint's files went too").doesNotExist();
        }
    }

    @Test
    void aDryRunCleanupOfTemporariesDeletesNothingAndSaysWhatItWouldRemove() {
        TemporaryPath abandoned = new PrefixCopyCommit(store).fromFinal(root.resolve("step_9"));
        abandoned.createBlocking();
        abandoned.staging().write("x.bin", new byte[3]);
        CheckpointDirectory dir = new CheckpointDirectory(store, root);
        List<CheckpointDirectory.TemporaryVerdict> verdicts = new ArrayList<>();
        int before = memory.objectCount();

        CheckpointDirectory.CleanupSummary dry = dir.cleanupTemporaries(Duration.ZERO, false, verdicts::add);

        assertThat(dry.removed()).isEqualTo(1);
        assertThat(dry.objectsDeleted()).isZero();
        assertThat(memory.objectCount()).isEqualTo(before);
        assertThat(verdicts).singleElement().satisfies(v -> {
            assertThat(v.remove()).isTrue();
            assertThat(v.temporary().name()).isEqualTo("step_9.orbax-checkpoint-tmp");
        });
        CheckpointDirectory.CleanupSummary real = dir.cleanupTemporaries(Duration.ZERO, true, v -> { });
        assertThat(real.objectsDeleted()).isPositive();
        assertThat(memory.objectCount()).isZero();
    }

    @Test
    void theObserverIsToldOfEveryStagedAndCopiedObjectAndItsBytes() {
        AtomicLong staged = new AtomicLong();
        AtomicLong stagedBytes = new AtomicLong();
        AtomicLong copied = new AtomicLong();
        AtomicLong copiedBytes = new AtomicLong();
        CommitObserver observer = new CommitObserver() {
            @Override
            public void onStep(io.atomiccheckpoint.atomicity.CommitStep step, long index) {
            }

            @Override
            public void onTransfer(Transfer transfer, long bytes) {
                (transfer == Transfer.STAGED ? staged : copied).incrementAndGet();
                (transfer == Transfer.STAGED ? stagedBytes : copiedBytes).addAndGet(bytes);
            }
        };

        CommitResult result = commit(store, root.resolve("step_1"), TemporaryPathOptions.builder().observer(observer).build());

        assertThat(staged.get()).isEqualTo(2);
        assertThat(stagedBytes.get()).isEqualTo(5 + 6);
        // The commit also copies its metadata file, so the copies are counted against the manifest, not the writes.
        assertThat(copied.get()).isEqualTo(result.manifest().objectCount());
        assertThat(copiedBytes.get()).isEqualTo(result.manifest().totalBytes());
    }
}
