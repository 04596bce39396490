package io.atomiccheckpoint.demo;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.metadata.StoreCheckpointMetadata;
import io.atomiccheckpoint.staging.StagedOutputStream;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The README's main job: saves a small multi-file checkpoint through {@link PrefixCopyCommit} on the
 * embedded filesystem store, commits it, validates it deeply and lists the checkpoints, printing each step.
 * Usage: {@code MainJob [directory]} (default {@code target/demo-checkpoints}).
 */
public final class MainJob {
    private MainJob() {
    }

    public static void main(String[] args) throws IOException, ValidationError {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/demo-checkpoints").toAbsolutePath();
        Files.createDirectories(dir);
        int code = run(Location.of(dir), System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the job below {@code root}; returns the process exit code. */
    public static int run(Location root, PrintStream out) throws ValidationError, IOException {
        try (Store store = Store.open(root, StoreConfig.empty())) {
            PrefixCopyCommit strategy = new PrefixCopyCommit(store);
            CheckpointDirectory checkpoints = new CheckpointDirectory(store, root);
            long step = checkpoints.latest().map(c -> c.step().getAsLong() + 1).orElse(1L);
            Location finalLocation = root.resolve("step_" + step);

            TemporaryPathOptions options = TemporaryPathOptions.builder()
                    .metadataStore(new StoreCheckpointMetadata(store)).build();
            TemporaryPath checkpoint = strategy.fromFinal(finalLocation, options);
            out.println("store:      " + store);
            out.println("final:      " + checkpoint.getFinal());
            out.println("temporary:  " + checkpoint.get());
            checkpoint.createBlocking();
            out.println("created:    " + checkpoint.get());

            StagingArea staging = checkpoint.staging();
            Random random = new Random(step);
            for (int shard = 0; shard < 4; shard++) {
                byte[] weights = new byte[64 * 1024];
                random.nextBytes(weights);
                staging.write("params/shard-" + shard + ".bin", weights);
            }
            try (StagedOutputStream meta = staging.openOutputStream("metadata.json")) {
                meta.write(("{\"step\": " + step + "}").getBytes(StandardCharsets.UTF_8));
            }
            out.println("wrote:      4 shards of 64 KiB and metadata.json into the temporary location");

            CommitResult result = checkpoint.commitBlocking();
            out.println("committed:  " + result);
            // Readers saw the checkpoint when commit() returned; the temporary location is removed in the background.
            out.println("cleaned up: " + result.cleanup().toCompletableFuture().join().size() + " failures");

            strategy.validateFinal(finalLocation);
            DeepValidationReport report = strategy.validateDeep(finalLocation);
            out.println("validated:  " + report);
            if (!report.isIntact()) {
                out.println("FAILED: the committed checkpoint does not match its manifest");
                return 1;
            }
            out.println("checkpoints under " + root + ":");
            checkpoints.committed().forEach(c -> out.println("  " + c));
            out.println("latest:     " + checkpoints.latest().orElseThrow());
            return 0;
        }
    }
}
