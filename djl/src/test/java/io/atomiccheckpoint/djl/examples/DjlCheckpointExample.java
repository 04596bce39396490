package io.atomiccheckpoint.djl.examples;

import ai.djl.training.Trainer;
import io.atomiccheckpoint.checkpoints.RetentionPolicy;
import io.atomiccheckpoint.djl.AtomicCheckpointTrainingListener;
import io.atomiccheckpoint.djl.LoadedCheckpoint;
import io.atomiccheckpoint.djl.ModelCheckpoints;
import io.atomiccheckpoint.djl.testing.StubModel;
import io.atomiccheckpoint.djl.testing.StubTrainers;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The DJL plug-in end to end, runnable without an engine: trains a stub model for three epochs with the listener
 * committing each one below the root (keeping the latest two), then runs again, resuming from the latest epoch.
 * With a real engine, replace the stub model by yours and the epoch loop by {@code EasyTrain.fit}.
 *
 * <p>Run: {@code java ... DjlCheckpointExample <root location, e.g. file:///tmp/run or s3://bucket/run>}.
 */
public final class DjlCheckpointExample {
    private DjlCheckpointExample() {
    }

    public static void main(String[] args) throws Exception {
        Location root = Location.parse(args.length > 0 ? args[0]
                : Files.createTempDirectory("djl-example").toUri().toString());
        try (Store store = Store.open(root, StoreConfig.empty())) {
            for (int run = 1; run <= 2; run++) {
                StubModel model = new StubModel("mlp", 0, 1 << 20);
                Path resumeDir = Files.createTempDirectory("djl-resume");
                Optional<LoadedCheckpoint> resumed = ModelCheckpoints.loadLatest(store, root, model, "mlp", resumeDir);
                int done = resumed.map(LoadedCheckpoint::epoch).orElse(0);
                System.out.println("run " + run + ": " + resumed.map(c -> "resumed from " + c.location())
                        .orElse("no checkpoint yet, starting fresh"));

                AtomicCheckpointTrainingListener checkpoints = AtomicCheckpointTrainingListener.builder(store, root)
                        .retention(new RetentionPolicy.LatestN(2))
                        .epochsDone(done)
                        .build();
                try (Trainer trainer = StubTrainers.trainer(model, checkpoints)) {
                    for (int epoch = done + 1; epoch <= done + 3; epoch++) {
                        model.train(epoch); // stands in for EasyTrain.fit's batches
                        StubTrainers.endEpoch(trainer);
                        System.out.println("  committed " + AtomicCheckpointTrainingListener.checkpointLocation(root, epoch));
                    }
                }
            }
        }
    }
}
