package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.commit.AtomicRename;
import io.atomiccheckpoint.commit.CommitInPlace;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.gcs.testing.FakeGcsServer;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.metadata.StoreCheckpointMetadata;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interoperation with Orbax itself (orbax-checkpoint from PyPI, see {@link OrbaxDriver}) in both directions, on
 * {@code file://} and on {@code gs://} against fake-gcs-server (Orbax through gcsfs and tensorstore's GCS driver, the
 * Java side through the GCS store). Java writes, Orbax reads: a Java commit of each strategy is stopped at each commit
 * step while Orbax's {@code is_path_finalized} and its step listing answer in AUTO and COMMIT_FILE modes. Orbax
 * writes, Java reads: Orbax's CheckpointManager saves steps in each mode; {@link CheckpointDirectory} lists, finds the
 * latest, validates, keeps the newest two; Orbax then restores those. Costs about 30 s once Orbax is installed (190 MB of
 * wheels and one to three minutes more the first time). The results are the interop table printed at the end of the run.
 */
class OrbaxInteropTest {
    private static final long STEP = 7;
    private static final long PAUSE_SECONDS = 120;
    private static OrbaxDriver orbax;
    private static GcsFixture gcs;

    @TempDir
    Path dir;

    /** Where a round runs: a local directory, or the GCS emulator's bucket; Orbax is given the same place. */
    private record Place(Store store, Location root) {
        String orbaxPath(Location location) {
            return location.scheme() == Scheme.FILE ? location.toPath().toString() : location.toString();
        }

        String scheme() {
            return root.scheme().uriScheme() + "://";
        }
    }

    private Place place(String scheme, String name) {
        return switch (scheme) {
            case "file" -> new Place(Store.of(new FileSystemObjectStore()), Location.of(dir).resolve(name));
            case "gs" -> new Place(gcs.store(), gcs.newScratchLocation().resolve(name));
            default -> throw new IllegalArgumentException(scheme);
        };
    }

    @BeforeAll
    static void startOrbax() {
        gcs = new GcsFixture();
        orbax = OrbaxDriver.start(FakeGcsServer.shared().endpoint());
        // Which of Orbax's readers AUTO mode picks per scheme: the columns of the table (no I/O in Orbax).
        OrbaxInteropTable.autoReaderClass("file", (String) orbax.ask(Map.of("op", "reader_class", "path",
                "/tmp/x/step_1")).get("class"));
        OrbaxInteropTable.autoReaderClass("gs", (String) orbax.ask(Map.of("op", "reader_class", "path",
                "gs://bucket/x/step_1")).get("class"));
        // The table's AUTO column stands for s3:// too: Orbax must pick the same reader there as for local paths.
        assertThat(orbax.ask(Map.of("op", "reader_class", "path", "s3://bucket/x/step_1")).get("class"))
                .isEqualTo(orbax.ask(Map.of("op", "reader_class", "path", "/tmp/x/step_1")).get("class"));
    }

    @AfterAll
    static void stopOrbax() {
        if (orbax != null) {
            orbax.close();
        }
    }

    /** A commit step the Java writer is held at, until the test has asked Orbax. */
    private record Pause(CommitStep step, long index, CountDownLatch resume) {
    }

    private static TemporaryPathFactory strategy(String name, Store store, CommitSettings settings) {
        return switch (name) {
            case "PrefixCopyCommit" -> new PrefixCopyCommit(store, settings);
            case "CommitInPlace" -> new CommitInPlace(store, settings);
            case "AtomicRename" -> new AtomicRename(settings);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> javaWritesOrbaxReads() {
        return Stream.of(Arguments.of("file", "PrefixCopyCommit"), Arguments.of("file", "CommitInPlace"),
                Arguments.of("file", "AtomicRename"), Arguments.of("gs", "PrefixCopyCommit"),
                Arguments.of("gs", "CommitInPlace"));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource
    void javaWritesOrbaxReads(String scheme, String strategyName) throws Exception {
        Place place = place(scheme, "run");
        Store store = place.store();
        Location root = place.root();
        Location finalLocation = root.resolve("step_" + STEP);
        // One copy at a time and the clean-up inside commit(): every step below happens, in order, while held.
        CommitSettings settings = CommitSettings.builder().copyConcurrency(1).cleanupInBackground(false).build();
        LinkedBlockingQueue<Pause> paused = new LinkedBlockingQueue<>();
        StoreCheckpointMetadata metadata = new StoreCheckpointMetadata(store);
        TemporaryPath checkpoint = strategy(strategyName, store, settings).fromFinal(finalLocation, TemporaryPathOptions
                .builder().metadataStore(metadata).observer((step, index) -> {
                    if (index > 1) {
                        return; // the first copy and the first batch delete stand for the rest
                    }
                    Pause pause = new Pause(step, index, new CountDownLatch(1));
                    paused.add(pause);
                    try {
                        if (!pause.resume().await(PAUSE_SECONDS, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test did not resume the commit at " + step);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while held at " + step, e);
                    }
                }).build());
        List<OrbaxInteropTable.Probe> probes = new ArrayList<>();
        boolean markerWritten = false;

        probes.add(probe(probes.size(), "nothing written yet", true, place, finalLocation));
        checkpoint.createBlocking();
        for (String name : List.of("params/shard-0.bin", "params/shard-1.bin", "opt/state.bin")) {
            checkpoint.staging().write(name, ("bytes of " + name).getBytes(StandardCharsets.UTF_8));
        }
        probes.add(probe(probes.size(), "created and staged", true, place, finalLocation));

        CompletableFuture<CommitResult> commit = checkpoint.commit().toCompletableFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PAUSE_SECONDS);
        while (true) {
            Pause pause = paused.poll(50, TimeUnit.MILLISECONDS);
            if (pause != null) {
                String phase = pause.step() == CommitStep.OBJECT_COPIED ? "OBJECT_COPIED (1st)"
                        : pause.step() == CommitStep.TEMPORARY_BATCH_DELETED ? "TEMPORARY_BATCH_DELETED (1st)"
                        : pause.step().name();
                markerWritten |= pause.step() == CommitStep.MARKER_WRITTEN;
                probes.add(probe(probes.size(), phase, !markerWritten, place, finalLocation));
                pause.resume().countDown();
            } else if (commit.isDone()) {
                break;
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("the " + strategyName + " commit did not finish within " + PAUSE_SECONDS + " s");
            }
        }
        commit.get(PAUSE_SECONDS, TimeUnit.SECONDS);
        probes.add(probe(probes.size(), "commit returned", false, place, finalLocation));
        probes.forEach(p -> OrbaxInteropTable.probe(place.scheme(), strategyName, p));

        assertThat(probes.stream().map(OrbaxInteropTable.Probe::phase)).contains(CommitStep.MARKER_WRITTEN.name());
        // COMMIT_FILE mode is safe with every strategy: nothing before the marker, the checkpoint after it.
        assertThat(OrbaxInteropTable.verdict(probes, false)).as("COMMIT_FILE reader").isEqualTo("safe");
        // AUTO mode on file:// and s3:// tests names only: only the rename hides an unfinished checkpoint from it. On
        // gs:// AUTO mode reads the marker, as COMMIT_FILE mode does everywhere.
        if (strategyName.equals("AtomicRename") || scheme.equals("gs")) {
            assertThat(OrbaxInteropTable.verdict(probes, true)).as("AUTO reader").isEqualTo("safe");
        } else {
            assertThat(OrbaxInteropTable.verdict(probes, true)).as("AUTO reader").startsWith("UNSAFE");
        }

        // The _CHECKPOINT_METADATA we wrote, read by Orbax's own step-metadata reader.
        Map<String, Object> read = orbax.ask(Map.of("op", "metadata", "path", place.orbaxPath(finalLocation)));
        assertThat(read.get("present")).isEqualTo(true);
        assertThat(read.get("init_timestamp_nsecs")).isEqualTo(nanos(metadata.initTimestamp(finalLocation).orElseThrow()));
        assertThat(read.get("commit_timestamp_nsecs"))
                .isEqualTo(nanos(metadata.commitTimestamp(finalLocation).orElseThrow()));
        assertThat((Long) read.get("commit_timestamp_nsecs")).isGreaterThanOrEqualTo((Long) read.get("init_timestamp_nsecs"));
    }

    static Stream<Arguments> orbaxWritesJavaReads() {
        return Stream.of(Arguments.of("file", "AUTO"), Arguments.of("file", "COMMIT_FILE"), Arguments.of("gs", "AUTO"),
                Arguments.of("gs", "COMMIT_FILE"));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource
    void orbaxWritesJavaReads(String scheme, String mode) throws Exception {
        Place place = place(scheme, "orbax-" + mode);
        Store store = place.store();
        Location root = place.root();
        String rootPath = place.orbaxPath(root);
        List<Long> saved = List.of(1L, 2L, 3L, 4L);
        assertThat(orbax.ask(Map.of("op", "save", "root", rootPath, "mode", mode, "steps", saved))
                .get("steps")).isEqualTo(saved);

        CheckpointDirectory directory = new CheckpointDirectory(store, root);
        List<CommittedCheckpoint> committed;
        try (Stream<CommittedCheckpoint> listed = directory.committed()) {
            committed = listed.collect(Collectors.toList());
        }
        List<Long> listedSteps = committed.stream().map(c -> c.step().orElseThrow()).sorted().collect(Collectors.toList());
        assertThat(listedSteps).isEqualTo(saved);
        CommittedCheckpoint latest = directory.latest().orElseThrow();
        assertThat(latest.step()).hasValue(4);
        PrefixCopyCommit validator = new PrefixCopyCommit(store);
        for (CommittedCheckpoint c : committed) {
            validator.validateFinal(c.location()); // Orbax's plain-text marker: accepted, no inventory
        }
        try (Stream<Location> temporaries = directory.temporaries()) {
            assertThat(temporaries).isEmpty();
        }
        // Orbax's _CHECKPOINT_METADATA, read by ours.
        Map<String, Object> orbaxMetadata = orbax.ask(Map.of("op", "metadata", "path", place.orbaxPath(latest.location())));
        assertThat(nanos(new StoreCheckpointMetadata(store).commitTimestamp(latest.location()).orElseThrow()))
                .isEqualTo(orbaxMetadata.get("commit_timestamp_nsecs"));

        // Retention: keep the newest two, delete the rest through CheckpointDirectory (marker first).
        List<Long> deleted = new ArrayList<>();
        for (CommittedCheckpoint c : committed) {
            if (c.step().orElseThrow() < latest.step().orElseThrow() - 1) {
                directory.delete(c.location());
                deleted.add(c.step().orElseThrow());
            }
        }
        assertThat(deleted).containsExactly(1L, 2L);

        List<Long> restored = new ArrayList<>();
        Object stepsAfter = null;
        for (long step : List.of(3L, 4L)) {
            Map<String, Object> answer = orbax.ask(Map.of("op", "restore", "root", rootPath, "mode", mode,
                    "step", step));
            assertThat(answer.get("restored")).as("Orbax restored step %d with the values it saved", step)
                    .isEqualTo(true);
            restored.add(step);
            stepsAfter = answer.get("steps");
        }
        assertThat(stepsAfter).isEqualTo(List.of(3L, 4L));
        OrbaxInteropTable.orbaxWrote(new OrbaxInteropTable.OrbaxWrote(place.scheme(), mode, saved, listedSteps,
                latest.step().orElseThrow(), committed.size(), deleted, restored, List.of(3L, 4L)));
    }

    private static OrbaxInteropTable.Probe probe(int order, String phase, boolean beforeMarker, Place place,
            Location finalLocation) {
        Map<String, Object> answer = orbax.ask(Map.of("op", "probe", "root", place.orbaxPath(place.root()), "final",
                finalLocation.name()));
        Map<?, ?> auto = (Map<?, ?>) answer.get("AUTO");
        Map<?, ?> commitFile = (Map<?, ?>) answer.get("COMMIT_FILE");
        return new OrbaxInteropTable.Probe(order, phase, beforeMarker, (Boolean) auto.get("finalized"),
                steps(auto.get("steps")), (Boolean) commitFile.get("finalized"), steps(commitFile.get("steps")));
    }

    private static List<Long> steps(Object list) {
        return ((List<?>) list).stream().map(o -> (Long) o).collect(Collectors.toList());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
