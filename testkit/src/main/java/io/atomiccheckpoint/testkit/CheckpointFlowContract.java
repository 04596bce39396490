package io.atomiccheckpoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.metadata.StoreCheckpointMetadata;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole life of checkpoints on one store, as a training job lives it: create; several threads write
 * 200 objects; commit; validate deeply; list the checkpoints; delete one; clean up an abandoned temporary.
 */
public abstract class CheckpointFlowContract {
    /** Objects per checkpoint in the flow. */
    protected static final int OBJECTS = 200;

    /** The store under test and its scratch locations. */
    protected abstract StoreUnderTest subject();

    /** The store under test. */
    protected final Store store() {
        return subject().store();
    }

    /** A location no other test uses, below which this test may write. */
    protected final Location newScratchLocation() {
        return subject().newScratchLocation();
    }

    /** Settings of the flow; page size 50 makes each commit cross at least four listing pages. */
    protected CommitSettings settings() {
        return CommitSettings.builder().listPageSize(50).build();
    }

    protected TemporaryPathFactory strategy() {
        return new PrefixCopyCommit(store(), settings());
    }

    private List<String> keys(Location location) {
        try (Stream<ObjectInfo> s = store().list(location)) {
            return s.map(ObjectInfo::key).collect(Collectors.toList());
        }
    }

    private TemporaryPath saveStep(Location root, long step, int writerThreads) throws Exception {
        TemporaryPath checkpoint = strategy().fromFinal(root.resolve("step_" + step), TemporaryPathOptions.builder()
                .metadataStore(new StoreCheckpointMetadata(store())).build());
        checkpoint.createBlocking();
        StagingArea staging = checkpoint.staging();
        ExecutorService writers = Executors.newFixedThreadPool(writerThreads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < writerThreads; t++) {
                int thread = t;
                done.add(writers.submit(() -> {
                    for (int i = thread; i < OBJECTS; i += writerThreads) {
                        staging.write("shard-" + thread + "/part-" + i, ("step " + step + " part " + i)
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
        return checkpoint;
    }

    @Test
    void fullCheckpointLifecycle() throws Exception {
        Location root = newScratchLocation();
        TemporaryPathFactory strategy = strategy();
        CheckpointDirectory directory = new CheckpointDirectory(store(), root, settings(), java.time.Clock.systemUTC());

        for (long step = 1; step <= 2; step++) {
            TemporaryPath checkpoint = saveStep(root, step, 4);
            CommitResult result = committed(checkpoint);
            // The metadata file is committed with the 200 written objects.
            assertThat(result.manifest().objectCount()).isEqualTo(OBJECTS + 1);
            strategy.validateFinal(checkpoint.getFinal());
            DeepValidationReport report = strategy.validateDeep(checkpoint.getFinal());
            assertThat(report.isIntact()).as(report.toString()).isTrue();
            assertThat(report.checked()).isEqualTo(OBJECTS + 1);
            assertThat(keys(checkpoint.get())).isEmpty();
        }
        TemporaryPath abandoned = saveStep(root, 3, 2);

        assertThat(directory.committed().map(CommittedCheckpoint::location).collect(Collectors.toList()))
                .containsExactly(root.resolve("step_1"), root.resolve("step_2"));
        assertThat(directory.latest().orElseThrow().step().getAsLong()).isEqualTo(2);
        assertThat(directory.temporaries().collect(Collectors.toList()))
                .containsExactly(settings().temporaryFor(abandoned.getFinal()));

        directory.delete(root.resolve("step_1"));
        assertThat(keys(root.resolve("step_1"))).isEmpty();
        assertThatThrownBy(() -> strategy.validateFinal(root.resolve("step_1"))).isInstanceOf(ValidationError.class);
        assertThat(directory.committed().map(CommittedCheckpoint::location).collect(Collectors.toList()))
                .containsExactly(root.resolve("step_2"));

        assertThat(directory.cleanupTemporaries(Duration.ofHours(1)).removed()).as("a young temporary is kept").isZero();
        CheckpointDirectory.CleanupSummary cleanup = directory.cleanupTemporaries(Duration.ZERO);
        assertThat(cleanup.removed()).isEqualTo(1);
        // The objects, the metadata file and the attempt lease.
        assertThat(cleanup.objectsDeleted()).isEqualTo(OBJECTS + 2);
        assertThat(keys(abandoned.get())).isEmpty();
        assertThat(directory.temporaries().collect(Collectors.toList())).isEmpty();
        assertThat(strategy.validateDeep(root.resolve("step_2")).isIntact()).isTrue();
    }

    @Test
    void deleteRefusesLocationsOutsideTheRoot() {
        Location root = newScratchLocation();
        CheckpointDirectory directory = new CheckpointDirectory(store(), root.resolve("ckpts"));
        assertThatThrownBy(() -> directory.delete(root.resolve("elsewhere/step_1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a checkpoint directly below");
        assertThatThrownBy(() -> directory.delete(root.resolve("ckpts/step_1/nested")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Commits and waits for the clean-up, which runs in the background by default. */
    protected static CommitResult committed(TemporaryPath checkpoint) {
        CommitResult result = checkpoint.commitBlocking();
        result.cleanup().toCompletableFuture().join();
        return result;
    }
}
