package io.atomiccheckpoint.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.Trainer;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.djl.testing.StubModel;
import io.atomiccheckpoint.djl.testing.StubTrainers;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.Call;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.Pause;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.When;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the listener fails, on the in-memory store with injected faults and pauses: a failed commit leaves no
 * checkpoint and the previous epoch stays the latest; a superseded writer and a restart that forgot its epochs are
 * told and stop; loading reads only what the marker lists.
 */
class ListenerFailureTest {
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path tmp;

    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final Store store = Store.of(memory);
    private final Location root = Location.parse("mem://bucket/run");

    private static Predicate<Call> markerCopyOf(String checkpointName) {
        return c -> c.operation().equals("copy") && c.location().name().equals("commit_success.txt")
                && c.location().parent().orElseThrow().name().equals(checkpointName);
    }

    private AtomicCheckpointTrainingListener.Builder listener() {
        return AtomicCheckpointTrainingListener.builder(store, root).scratchDirectory(tmp);
    }

    private long loadedSeed() throws Exception {
        StubModel model = new StubModel("mlp", 0, 0);
        Path dir = Files.createTempDirectory(tmp, "load-");
        ModelCheckpoints.loadLatest(store, root, model, "mlp", dir).orElseThrow();
        return model.seed();
    }

    @Test
    void aCommitThatFailsLeavesNothingVisibleAndTrainingEndCommitsThatEpochAgain() throws Exception {
        memory.failWhen(markerCopyOf("epoch_3"), When.BEFORE, 1);
        StubModel model = new StubModel("mlp", 0, 10_000);
        Trainer trainer = StubTrainers.trainer(model, listener().build());
        for (int epoch = 1; epoch <= 2; epoch++) {
            model.train(epoch);
            StubTrainers.endEpoch(trainer);
        }
        model.train(3);
        // As in EasyTrain.fit, the failure leaves the training loop.
        assertThatThrownBy(() -> StubTrainers.endEpoch(trainer)).isInstanceOf(StoreException.class);

        Location epoch3 = AtomicCheckpointTrainingListener.checkpointLocation(root, 3);
        assertThatThrownBy(() -> new PrefixCopyCommit(store).validateFinal(epoch3)).isInstanceOf(ValidationError.class);
        assertThat(new CheckpointDirectory(store, root).latest().orElseThrow().location().name()).isEqualTo("epoch_2");
        assertThat(loadedSeed()).isEqualTo(2);

        trainer.close(); // onTrainingEnd: epoch 3 is not committed yet, and the model still holds it
        assertThat(new CheckpointDirectory(store, root).latest().orElseThrow().location().name()).isEqualTo("epoch_3");
        assertThat(loadedSeed()).isEqualTo(3);
    }

    @Test
    void aWriterSupersededByAnotherTrainerIsToldAndSavesNothingMore() throws Exception {
        AtomicCheckpointTrainingListener stale = listener().build();
        AtomicCheckpointTrainingListener newer = listener().build();
        Pause pause = memory.pauseWhen(markerCopyOf("epoch_1"), When.BEFORE);
        CompletableFuture<CommitResult> staleSave = CompletableFuture.supplyAsync(
                () -> stale.save(new StubModel("mlp", 111, 1000), 1));
        assertThat(pause.awaitReached(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        newer.save(new StubModel("mlp", 222, 1000), 1);
        pause.resume();

        assertThatThrownBy(() -> staleSave.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CommitConflictException.class);
        assertThatThrownBy(() -> stale.save(new StubModel("mlp", 333, 1000), 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another writer owns this root")
                .hasCauseInstanceOf(CommitConflictException.class);
        assertThat(loadedSeed()).isEqualTo(222);
        assertThat(new CheckpointDirectory(store, root).latest().orElseThrow().location().name()).isEqualTo("epoch_1");
    }

    @Test
    void aRestartThatForgotItsEpochsConflictsInsteadOfReplacingACheckpoint() throws Exception {
        listener().build().save(new StubModel("mlp", 1, 1000), 1);

        StubModel restarted = new StubModel("mlp", 99, 1000);
        Trainer trainer = StubTrainers.trainer(restarted, listener().build());
        assertThatThrownBy(() -> StubTrainers.endEpoch(trainer)).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("already a committed checkpoint");
        trainer.close(); // disabled: saves nothing at training end
        assertThat(loadedSeed()).isEqualTo(1);

        StubModel resumed = new StubModel("mlp", 0, 0);
        LoadedCheckpoint from = ModelCheckpoints.loadLatest(store, root, resumed, "mlp", tmp.resolve("resume"))
                .orElseThrow();
        try (Trainer again = StubTrainers.trainer(resumed, listener().epochsDone(from.epoch()).build())) {
            resumed.train(2);
            StubTrainers.endEpoch(again);
        }
        assertThat(new CheckpointDirectory(store, root).latest().orElseThrow().location().name()).isEqualTo("epoch_2");
        assertThat(loadedSeed()).isEqualTo(2);
    }

    @Test
    void loadingReadsOnlyTheObjectsTheMarkerLists() throws Exception {
        assertThat(ModelCheckpoints.loadLatest(store, root, new StubModel("mlp", 0, 0), "mlp", tmp.resolve("none")))
                .isEmpty();
        listener().build().save(new StubModel("mlp", 7, 1000), 1);
        // A late object beside the checkpoint, as a stale writer could leave: DJL would load the highest epoch.
        Location epoch1 = AtomicCheckpointTrainingListener.checkpointLocation(root, 1);
        store.write(epoch1.resolve("mlp-0009.params"), "not parameters".getBytes(StandardCharsets.UTF_8),
                PutMode.CREATE);

        Path dir = tmp.resolve("download");
        assertThat(ModelCheckpoints.download(store, epoch1, dir)).isEqualTo(2);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("mlp-0001.params", "mlp-symbol.json");
        }
        assertThat(loadedSeed()).isEqualTo(7);
        assertThatThrownBy(() -> ModelCheckpoints.download(store, epoch1, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not empty");
    }
}
