package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectStores;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3 store's own behaviour on S3Mock: what the issue asks for beyond core's conformance kit. */
class S3ObjectStoreTest {
    private static final RecordingInterceptor WIRE = new RecordingInterceptor();
    private static S3ObjectStore store;
    /**
     * CopyObject for create-only copies too: S3Mock handles about 60 requests a second on a loaded two-core
     * machine, and the multipart copy the probe would choose costs three requests per object instead of one.
     * This store is for the test of scale, not of the copy precondition (covered by the contract tests).
     */
    private static S3ObjectStore fastCopy;

    @BeforeAll
    static void open() {
        store = recording(S3MockStores.config(), WIRE);
        fastCopy = recording(S3MockStores.config().with("s3.createOnlyCopy", "copy-object"), WIRE);
    }

    @AfterAll
    static void close() {
        store.close();
        fastCopy.close();
    }

    private static S3ObjectStore recording(StoreConfig config, RecordingInterceptor wire) {
        return S3ObjectStore.builder().config(config)
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readAll(S3ObjectStore s, Location loc) throws IOException {
        try (InputStream in = s.read(loc)) {
            return in.readAllBytes();
        }
    }

    private static String crc32Base64(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    @Test
    void secondCreateOnlyMarkerWriteFailsWithThePreconditionException() throws IOException {
        Location marker = S3MockStores.newScratchLocation().resolve("step_1/commit_success.txt");
        store.write(marker, bytes("first"), WriteMode.CREATE);
        WIRE.clear();
        assertThatThrownBy(() -> store.write(marker, bytes("second"), WriteMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(marker.toString());
        assertThat(WIRE.sent("PutObject")).singleElement().satisfies(s -> assertThat(s.ifNoneMatch).contains("*"));
        assertThat(readAll(store, marker)).isEqualTo(bytes("first"));
    }

    @Test
    void writesRecordTheEtagAndTheChecksumsS3Returns() {
        Location loc = S3MockStores.newScratchLocation().resolve("obj");
        byte[] data = bytes("checksummed content");
        ObjectInfo written = store.write(loc, data, WriteMode.CREATE);
        ObjectInfo stat = store.stat(loc).orElseThrow();
        assertThat(written.version()).isPresent().isEqualTo(stat.version());
        assertThat(written.version().get()).doesNotContain("\"");
        assertThat(stat.checksums()).containsEntry("crc32", crc32Base64(data));
        assertThat(written.checksums()).containsEntry("crc32", crc32Base64(data));
        try (Stream<ObjectInfo> listed = store.list(loc.parent().orElseThrow())) {
            assertThat(listed.findFirst().orElseThrow().version()).isEqualTo(stat.version());
        }
    }

    @Test
    void sixMibObjectCopiedWithAFiveMibMultipartThresholdArrivesIntactWithMatchingChecksum() throws IOException {
        RecordingInterceptor wire = new RecordingInterceptor();
        long fiveMib = 5L * 1024 * 1024;
        try (S3ObjectStore multipart = recording(S3MockStores.config()
                .with("s3.multipartCopyThresholdBytes", Long.toString(fiveMib))
                .with("s3.multipartCopyPartSizeBytes", Long.toString(fiveMib)), wire)) {
            Location root = S3MockStores.newScratchLocation();
            byte[] data = new byte[6 * 1024 * 1024];
            new Random(6).nextBytes(data);
            ObjectInfo source = multipart.write(root.resolve("src.bin"), data, WriteMode.CREATE);
            assertThat(source.checksums()).containsEntry("crc32", crc32Base64(data));
            for (WriteMode mode : WriteMode.values()) {
                Location target = root.resolve("copy-" + mode + ".bin");
                wire.clear();
                ObjectInfo copied = multipart.copy(root.resolve("src.bin"), target, mode);
                assertThat(wire.sent("UploadPartCopy")).as(mode.toString()).hasSize(2);
                assertThat(wire.sent("CopyObject")).isEmpty();
                assertThat(copied.size()).isEqualTo(data.length);
                assertThat(copied.sameContentAs(source)).isNotEqualTo(java.util.Optional.of(false));
                byte[] back = readAll(multipart, target);
                assertThat(back).isEqualTo(data);
                assertThat(crc32Base64(back)).isEqualTo(source.checksums().get("crc32"));
            }
        }
    }

    @Test
    void finalizeOf2500ObjectsCommitsEveryObjectAcrossThreeListPages() throws Exception {
        int objects = 2500;
        Location finalLocation = S3MockStores.newScratchLocation(S3MockStores.SCALE_BUCKET).resolve("step_2500");
        PrefixCopyCommit strategy = new PrefixCopyCommit(fastCopy, CommitSettings.builder().listPageSize(1000)
                .copyConcurrency(32).build());
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        StagingArea staging = checkpoint.staging();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                done.add(writers.submit(() -> {
                    for (int i = thread; i < objects; i += 16) {
                        staging.write(String.format("part-%05d", i), bytes("object " + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
        WIRE.clear();
        CommitResult result = checkpoint.commitBlocking();
        String temporaryPrefix = checkpoint.get().prefix();
        long listPagesOfTemporary = WIRE.sent("ListObjectsV2").size();
        assertThat(listPagesOfTemporary).as("pages listed during the commit").isGreaterThanOrEqualTo(3);
        assertThat(result.manifest().objectCount()).isEqualTo(objects);
        assertThat(WIRE.sent("DeleteObjects")).as("temporary deleted in batches of at most 1000").hasSizeGreaterThanOrEqualTo(3);
        // Counted per attempt: S3Mock under load makes the SDK retry a request now and then. The store's
        // one-time probe of the bucket copies an object of its own, outside the checkpoint.
        assertThat(WIRE.sent("CopyObject").stream().map(sent -> sent.key)
                .filter(key -> key.startsWith(finalLocation.prefix())).distinct())
                .as("objects copied").hasSize(objects);
        assertThat(WIRE.sent("CopyObject")).as("one request per copied object, plus retries").hasSizeLessThan(
                objects + 25);
        assertThat(WIRE.sent("HeadObject")).as("no HEAD per object; the listing gives each source's size")
                .hasSizeLessThan(10);
        DeepValidationReport report = strategy.validateDeep(finalLocation);
        assertThat(report.isIntact()).as(report.toString()).isTrue();
        assertThat(report.checked()).isEqualTo(objects);
        try (Stream<ObjectInfo> listing = fastCopy.list(finalLocation)) {
            assertThat(listing.count()).isEqualTo(objects + 1);
        }
        try (Stream<ObjectInfo> leftovers = fastCopy.list(checkpoint.get())) {
            assertThat(leftovers.count()).as("temporary " + temporaryPrefix).isZero();
        }
    }

    @Test
    void deleteBatchRefusesMoreThanTheDeleteObjectsLimit() {
        Location root = S3MockStores.newScratchLocation();
        List<Location> many = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            many.add(root.resolve("k" + i));
        }
        assertThatThrownBy(() -> store.deleteBatch(many)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1000");
        assertThat(store.maxDeleteBatchSize()).isEqualTo(1000);
    }

    @Test
    void locationsOfAnotherSchemeAreRefusedBeforeAnyRequest() {
        WIRE.clear();
        Location gcs = Location.parse("gs://some-bucket/key");
        assertThatThrownBy(() -> store.write(gcs, bytes("x"), WriteMode.CREATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3:// locations only")
                .hasMessageContaining("gs://some-bucket/key");
        assertThatThrownBy(() -> store.list(Location.parse("file:///tmp/x")).count())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3:// locations only");
        assertThat(WIRE.sent()).isEmpty();
    }

    @Test
    void bucketNamesS3ForbidsAreRefusedWhenTheLocationIsParsed() {
        assertThatThrownBy(() -> Location.parse("s3://My_Bucket/key")).isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("S3 bucket name 'My_Bucket'");
        assertThatThrownBy(() -> Location.parse("s3://ab/key")).isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("3 to 63 characters");
        assertThatThrownBy(() -> Location.parse("s3://xn--bucket/key")).isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("reserved prefix");
    }

    @Test
    void theProviderIsFoundForS3Locations() {
        assertThat(ObjectStores.provider(Scheme.S3)).isInstanceOf(S3ObjectStoreProvider.class);
        try (var opened = ObjectStores.open(Location.parse("s3://" + S3MockStores.BUCKET + "/x"), S3MockStores.config())) {
            assertThat(opened).isInstanceOf(S3ObjectStore.class);
        }
    }

    @Test
    void badSettingsFailWhenTheStoreIsOpenedNamingTheKey() {
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.regoin", "x")))
                .hasMessageContaining("unknown S3 setting 's3.regoin'");
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.multipartCopyThresholdBytes", "6000000000")))
                .hasMessageContaining("s3.multipartCopyThresholdBytes");
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.multipartCopyPartSizeBytes", "1024")))
                .hasMessageContaining("s3.multipartCopyPartSizeBytes");
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.deleteBatchSize", "1001")))
                .hasMessageContaining("s3.deleteBatchSize");
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.accessKeyId", "AKIAONLY")))
                .hasMessageContaining("s3.secretAccessKey");
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.conditionalWrites", "maybe")))
                .hasMessageContaining("probe, trust");
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.endpoint", "http://user:pw@host:9000")))
                .hasMessageContaining("user info").hasMessageNotContaining("pw");
    }

    @Test
    void theRetryBudgetIsTheConfiguredNumberOfAttempts() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RecordingInterceptor wire = new RecordingInterceptor();
        StoreConfig config = S3MockStores.config().with("s3.endpoint", "http://127.0.0.1:" + closedPort)
                .with("s3.retry.maxAttempts", "3");
        try (S3ObjectStore unreachable = recording(config, wire)) {
            Location loc = Location.parse("s3://" + S3MockStores.BUCKET + "/nowhere");
            assertThatThrownBy(() -> unreachable.stat(loc)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(loc.toString());
            assertThat(wire.sent("HeadObject")).hasSize(3);
        }
    }

    @Test
    void fakeCredentialsAppearInNoMessageStackTraceOrToString() {
        String keyId = "AKIAFAKEKEYID0DONOTPRINT";
        String secret = "fakeSecretKey/do-not-print/7c1f9e";
        String token = "FAKE-SESSION-TOKEN-do-not-print-42";
        StoreConfig config = S3MockStores.config().with("s3.credentials", "static").with("s3.accessKeyId", keyId)
                .with("s3.secretAccessKey", secret).with("s3.sessionToken", token);
        StringBuilder seen = new StringBuilder().append(config).append('\n');
        try (S3ObjectStore withSecrets = S3ObjectStore.open(config)) {
            seen.append(withSecrets).append(withSecrets.settings()).append('\n');
            Location root = S3MockStores.newScratchLocation();
            List<Runnable> attempts = List.of(
                    () -> withSecrets.write(root.resolve("a"), bytes("a"), WriteMode.CREATE),
                    () -> withSecrets.write(root.resolve("a"), bytes("a"), WriteMode.CREATE),
                    () -> withSecrets.read(root.resolve("missing")),
                    () -> withSecrets.copy(root.resolve("missing"), root.resolve("b"), WriteMode.CREATE),
                    () -> withSecrets.write(Location.parse("s3://no-such-bucket-here/x"), bytes("x"), WriteMode.OVERWRITE),
                    () -> withSecrets.list(root).count());
            int failures = 0;
            for (Runnable attempt : attempts) {
                try {
                    attempt.run();
                } catch (RuntimeException e) {
                    failures++;
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    seen.append(trace).append('\n');
                }
            }
            assertThat(failures).isGreaterThanOrEqualTo(4);
        }
        assertThat(seen.toString()).doesNotContain(keyId).doesNotContain(secret).doesNotContain(token);
    }
}
