package io.atomiccheckpoint.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.Trainer;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.checkpoints.RetentionPolicy;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.djl.testing.StubModel;
import io.atomiccheckpoint.djl.testing.StubTrainers;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the listener does through a real DJL {@link Trainer} (stub model, no engine), on the store a subclass
 * names: every epoch committed, retention, the every-N schedule with the last epoch saved at training end, and the
 * latest epoch loaded back into a fresh model.
 */
abstract class EpochCheckpointScenarios {
    @TempDir
    Path tmp;

    /** The store under test; the subclass closes it. */
    abstract Store store();

    /** A fresh root no other test writes below. */
    abstract Location newRoot();

    /** Bytes of the stub model's parameter file. */
    long parameterBytes() {
        return 200_000;
    }

    @Test
    void aTrainerCommitsEveryEpochRetentionKeepsTheLatestTwoAndTheLatestLoadsBack() throws Exception {
        Location root = newRoot();
        AtomicCheckpointTrainingListener listener = AtomicCheckpointTrainingListener.builder(store(), root)
                .retention(new RetentionPolicy.LatestN(2)).scratchDirectory(tmp).build();
        StubModel model = new StubModel("mlp", 0, parameterBytes());
        try (Trainer trainer = StubTrainers.trainer(model, listener)) {
            for (int epoch = 1; epoch <= 4; epoch++) {
                model.train(100 + epoch);
                StubTrainers.endEpoch(trainer);
            }
        }

        assertThat(committedNames(root)).containsExactly("epoch_3", "epoch_4");
        Location latest = AtomicCheckpointTrainingListener.checkpointLocation(root, 4);
        assertThat(new PrefixCopyCommit(store()).validateDeep(latest).isIntact()).isTrue();
        assertThat(objectNames(latest)).containsExactlyInAnyOrder("mlp-0004.params", "mlp-symbol.json");
        assertThat(tmp).isEmptyDirectory(); // every scratch directory was deleted

        StubModel resumed = new StubModel("mlp", 0, 0);
        LoadedCheckpoint loaded = ModelCheckpoints.loadLatest(store(), root, resumed, "mlp", tmp.resolve("load"))
                .orElseThrow();
        assertThat(loaded.epoch()).isEqualTo(4);
        assertThat(loaded.location()).isEqualTo(latest);
        assertThat(resumed.seed()).isEqualTo(104);
        assertThat(resumed.parameterBytes()).isEqualTo(parameterBytes());
        assertThat(resumed.getProperty("Epoch")).isEqualTo("4");
    }

    @Test
    void everySecondEpochIsCommittedAndTrainingEndCommitsTheLastOne() throws Exception {
        Location root = newRoot();
        List<Integer> callbackEpochs = new java.util.ArrayList<>();
        AtomicCheckpointTrainingListener listener = AtomicCheckpointTrainingListener.builder(store(), root)
                .everyEpochs(2).modelName("renamed").scratchDirectory(tmp)
                .saveModelCallback(t -> callbackEpochs.add(Integer.parseInt(t.getModel().getProperty("Epoch"))))
                .build();
        StubModel model = new StubModel("mlp", 0, parameterBytes());
        try (Trainer trainer = StubTrainers.trainer(model, listener)) {
            for (int epoch = 1; epoch <= 5; epoch++) {
                model.train(200 + epoch);
                StubTrainers.endEpoch(trainer);
            }
            assertThat(committedNames(root)).containsExactly("epoch_2", "epoch_4");
        }

        assertThat(committedNames(root)).containsExactly("epoch_2", "epoch_4", "epoch_5");
        assertThat(callbackEpochs).containsExactly(2, 4, 5);
        assertThat(objectNames(AtomicCheckpointTrainingListener.checkpointLocation(root, 5)))
                .containsExactlyInAnyOrder("renamed-0005.params", "renamed-symbol.json");
        StubModel epoch4 = new StubModel("renamed", 0, 0);
        ModelCheckpoints.download(store(), AtomicCheckpointTrainingListener.checkpointLocation(root, 4), tmp.resolve("e4"));
        epoch4.load(tmp.resolve("e4"), "renamed");
        assertThat(epoch4.seed()).isEqualTo(204);
    }

    List<String> committedNames(Location root) {
        try (Stream<CommittedCheckpoint> committed = new CheckpointDirectory(store(), root).committed()) {
            return committed.map(c -> c.location().name()).collect(Collectors.toList());
        }
    }

    List<String> objectNames(Location checkpoint) {
        try (Stream<ObjectInfo> listing = store().list(checkpoint)) {
            return listing.map(o -> checkpoint.relativeKey(o.key()).orElseThrow())
                    .filter(name -> !name.equals("commit_success.txt")).collect(Collectors.toList());
        }
    }
}
