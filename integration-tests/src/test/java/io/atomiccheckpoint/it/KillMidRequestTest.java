package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.AttemptNotSealedException;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.it.WriterContentCheck.Verdict;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills in the middle of requests (issue 14, item 4), on top of {@link CrashAtEveryStepTest}'s step boundaries:
 * a child JVM saving a checkpoint is held inside one request ({@link HoldingObjectStore}: before it is sent, or
 * after the store acted but before the child saw the response, or half way through a multipart, resumable or
 * block upload) and killed there with SIGKILL; two more kills come at random requests (seeded, printed). After
 * each kill the leftovers are judged (no checkpoint, or a complete one; never torn), then recovered: a sealed
 * attempt is resumed with {@code fromTemporary(temporary).commit()}, an unsealed one must be refused and is
 * saved again by a new attempt, a committed one is cleaned up. The result must hold exactly the writer's objects
 * and nothing else, with the temporary location empty.
 */
class KillMidRequestTest {
    private static final int OBJECTS = 8;
    /** Larger than every store's single-request limit below, and than S3's 5 MiB minimum part. */
    private static final int BIG = 5 * 1024 * 1024 + 256 * 1024;
    /** Where the upload is held: past the first S3 part, several GCS chunks and Azure blocks. */
    private static final long MID_BODY = 5 * 1024 * 1024 + 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int RANDOM_KILLS = 2;

    /** How a kill point must recover. */
    enum Recovery {
        /** The attempt was sealed and not committed: resuming it commits. */
        RESUME,
        /** The marker landed: the checkpoint is complete; the clean-up removes the temporary. */
        COMMITTED,
        /** The attempt was still staging: a resume is refused, a new attempt saves again. */
        NEW_ATTEMPT,
        /** Whichever the state asks for (random kills). */
        ANY
    }

    /** A kill point: where the child is held ({@link HoldingObjectStore.Point} text) and how it recovers. */
    record KillPoint(String name, String point, Recovery recovery) {
    }

    static List<KillPoint> killPoints() {
        return List.of(
                new KillPoint("seal landed, response lost", "LEASE_PUT:AFTER:2", Recovery.RESUME),
                new KillPoint("data copy about to be sent", "DATA_COPY:BEFORE:3", Recovery.RESUME),
                new KillPoint("data copy landed, response lost", "DATA_COPY:AFTER:5", Recovery.RESUME),
                new KillPoint("manifest lease update landed, response lost", "MANIFEST_PUT:AFTER:1", Recovery.RESUME),
                new KillPoint("marker copy about to be sent", "MARKER_COPY:BEFORE:1", Recovery.RESUME),
                new KillPoint("marker copy landed, response lost", "MARKER_COPY:AFTER:1", Recovery.COMMITTED),
                new KillPoint("half way through a multipart/resumable/block upload", "DATA_PUT:MID_BODY:1",
                        Recovery.NEW_ATTEMPT));
    }

    static List<StoreFixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aProcessKilledInTheMiddleOfARequestLeavesNothingTornAndRecovers(StoreFixture fixture) throws Exception {
        ChaosChild.Seeded seeded = ChaosChild.Seeded.of(fixture.name(), "kills mid-request");
        long seed = seeded.seed();
        Random random = seeded.random();
        Location root = fixture.newScratchLocation();
        long started = System.nanoTime();
        int n = 0;
        int midRequest = 0;
        List<KillPoint> points = new ArrayList<>(killPoints());
        for (int i = 0; i < RANDOM_KILLS; i++) {
            // A save of 8 objects makes about 40 requests (with the upload of BIG more on some stores).
            int request = 1 + random.nextInt(40);
            points.add(new KillPoint("random request " + request, "ANY:BEFORE:" + request, Recovery.ANY));
        }
        for (KillPoint point : points) {
            Location finalLocation = root.resolve("kill_" + n++).resolve("step_1");
            midRequest += killAndRecover(fixture, finalLocation, point, fixture.name() + " killed at " + point.name()
                    + " (" + point.point() + ", seed " + seed + ")") ? 1 : 0;
        }
        EvidenceTable.add(fixture.name(), Column.KILL_POINTS, points.size());
        EvidenceTable.add(fixture.name(), Column.REQUEST_KILLS, midRequest);
        System.out.println(fixture.name() + ": " + points.size() + " kills, " + midRequest + " in the middle of a"
                + " request, in " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    /** One kill and its recovery; returns whether a request was in flight when the child died. */
    private static boolean killAndRecover(StoreFixture fixture, Location finalLocation, KillPoint point, String where)
            throws Exception {
        Store store = fixture.store();
        CommitSettings settings = ChaosChild.SETTINGS;
        PrefixCopyCommit strategy = new PrefixCopyCommit(store, settings);
        boolean random = point.recovery() == Recovery.ANY;
        int big = point.point().contains("MID_BODY") ? BIG : 0;
        Path gaugeFile = Files.createTempFile("request-gauge-", ".bin");
        RequestGauge gauge = RequestGauge.shared(gaugeFile);
        List<String> args = new ArrayList<>(List.of("hold", "final=" + finalLocation, "gauge=" + gaugeFile,
                "point=" + (random ? HoldingObjectStore.Point.never().format() : point.point()), "objects=" + OBJECTS,
                "big=" + big, "midBody=" + MID_BODY));
        StoreConfig config = big > 0 ? withSmallUploadParts(fixture.config(), finalLocation) : fixture.config();
        config.asMap().forEach((k, v) -> args.add("store." + k + "=" + v));
        boolean inFlight;
        try (ChildJvm child = ChildJvm.start(args)) {
            if (random) {
                long target = Long.parseLong(point.point().substring(point.point().lastIndexOf(':') + 1));
                child.awaitRequest(gauge, target, WAIT);
            } else {
                child.awaitLine("HELD", WAIT);
            }
            child.kill();
            inFlight = gauge.inFlight() > 0;
        } finally {
            Files.deleteIfExists(gaugeFile);
        }

        Map<String, String> expected = new TreeMap<>(WriterContentCheck.expected("a", OBJECTS, finalLocation));
        if (big > 0) {
            expected.put(ChaosChild.BIG, new String(ChaosChild.bigBytes(finalLocation, big), StandardCharsets.UTF_8));
        }
        Map<String, Map<String, String>> writers = Map.of("a", expected);
        Verdict afterKill = WriterContentCheck.judge(fixture.name(), strategy, store, settings, finalLocation, writers,
                where + ", after the kill");
        Recovery took = recover(strategy, store, settings, finalLocation, afterKill, big);
        if (!random) {
            assertThat(took).as(where + ": how it recovered").isEqualTo(point.recovery());
        }
        Verdict recovered = WriterContentCheck.judge(fixture.name(), strategy, store, settings, finalLocation, writers,
                where + ", after recovery (" + took + ")");
        assertThat(recovered.committed()).as(where + ": committed after recovery").isTrue();
        assertThat(Checks.snapshot(store, settings.temporaryFor(finalLocation)))
                .as(where + ": temporary location is cleaned").isEmpty();
        return inFlight;
    }

    /** Brings the checkpoint to committed the way a restarted job would; returns which way it took. */
    private static Recovery recover(PrefixCopyCommit strategy, Store store, CommitSettings settings,
            Location finalLocation, Verdict afterKill, int big) {
        Location temporary = settings.temporaryFor(finalLocation);
        if (afterKill.committed()) {
            new CheckpointDirectory(store, finalLocation.parent().orElseThrow(), settings, Clock.systemUTC())
                    .cleanupTemporaries(Duration.ofDays(1));
            return Recovery.COMMITTED;
        }
        try {
            strategy.fromTemporary(temporary).commitBlocking().cleanup().toCompletableFuture().join();
            return Recovery.RESUME;
        } catch (CommitConflictException notResumable) {
            // Unsealed, or killed before its lease existed: the job saves again in a new attempt.
            TemporaryPath again = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("a").build());
            again.createBlocking();
            WriterContentCheck.stage(again, "a", 0, OBJECTS);
            if (big > 0) {
                again.staging().write(ChaosChild.BIG, ChaosChild.bigBytes(finalLocation, big));
            }
            again.commitBlocking().cleanup().toCompletableFuture().join();
            return notResumable instanceof AttemptNotSealedException ? Recovery.NEW_ATTEMPT : Recovery.ANY;
        }
    }

    /** The fixture's settings with single-request limits below {@link #MID_BODY}, so BIG goes in parts. */
    private static StoreConfig withSmallUploadParts(StoreConfig config, Location location) {
        switch (location.scheme()) {
            case S3:
                return config.with("s3.multipartUploadThresholdBytes", "5242880")
                        .with("s3.multipartPartSizeBytes", "5242880");
            case GCS:
                return config.with("gcs.resumableThreshold", "262144").with("gcs.uploadChunkSize", "262144");
            case AZURE:
                return config.with("azure.upload.singleMaxBytes", "262144").with("azure.upload.blockBytes", "262144");
            default:
                return config;
        }
    }
}
