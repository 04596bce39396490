package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.gcs.testing.FakeGcsServer;
import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.gcs.testing.RecordingConnections;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GCS-specific behaviour of {@link GcsObjectStore} on fake-gcs-server, beyond core's conformance suite. */
class GcsObjectStoreTest {
    private static GcsObjectStore spi;
    private static Store store;

    @BeforeAll
    static void open() {
        spi = FakeGcsStores.open();
        store = Store.of(spi);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String crc32cBase64(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void capabilitiesDeclareEveryConditionAndTheGcsLimits() {
        assertThat(store.capabilities().scheme()).isEqualTo(Scheme.GCS);
        assertThat(store.capabilities().maxDeleteBatchSize()).isEqualTo(100);
        assertThat(store.capabilities().maxListPageSize()).isEqualTo(1000);
        assertThat(store.capabilities().conditionalUpdate()).isTrue();
        assertThat(store.capabilities().pinnedCopy()).isTrue();
        assertThat(store.capabilities().versionedGet()).isTrue();
    }

    @Test
    void twentyMebibyteObjectSurvivesAPinnedCopyWithMatchingCrc32c() {
        Location root = FakeGcsStores.newScratchLocation();
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(20).nextBytes(data);
        try (Store rewriting = Store.of(FakeGcsStores.open(FakeGcsStores.config()
                .with("gcs.rewriteMegabytesPerCall", "4")))) {
            ObjectInfo written = rewriting.write(root.resolve("tmp/shard.bin"), new ByteArrayInputStream(data),
                    data.length, PutMode.CREATE);
            ObjectInfo copied = rewriting.copy(root.resolve("tmp/shard.bin"), root.resolve("final/shard.bin"),
                    CopyOptions.pinnedTo(written, PutMode.CREATE));
            String expected = crc32cBase64(data);
            assertThat(written.checksums()).containsEntry("crc32c", expected);
            assertThat(copied.size()).isEqualTo(data.length);
            assertThat(copied.checksums()).containsEntry("crc32c", expected)
                    .containsEntry("md5", written.checksums().get("md5"));
            assertThat(copied.version()).isNotEqualTo(written.version());
            assertThat(rewriting.stat(root.resolve("final/shard.bin")).orElseThrow()).isEqualTo(copied);
            assertThat(readAll(rewriting.read(root.resolve("final/shard.bin")))).isEqualTo(data);
        }
    }

    @Test
    void conditionalWritesCarryTheWriteIdThatTellsOurRetryFromALostRace() {
        // A retried conditional write whose first attempt succeeded meets 412; the store then finds its own write id
        // on the object and reports success. A different writer's id means the race was lost.
        Location marker = FakeGcsStores.newScratchLocation().resolve("marker");
        ObjectInfo first = store.write(marker, bytes("ours"), PutMode.CREATE);
        String firstId = spi.client().get(marker.bucket(), marker.key()).getMetadata().get(GcsUploads.WRITE_ID_KEY);
        assertThat(firstId).isNotBlank();
        assertThatThrownBy(() -> store.write(marker, bytes("theirs"), PutMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.stat(marker).orElseThrow().version()).isEqualTo(first.version());
        store.write(marker, bytes("updated"), PutMode.update(first.version().orElseThrow()));
        assertThat(spi.client().get(marker.bucket(), marker.key()).getMetadata().get(GcsUploads.WRITE_ID_KEY))
                .isNotBlank().isNotEqualTo(firstId);
    }

    @Test
    void aConditionalWriteWhoseResponseWasLostIsRecognisedByItsWriteIdWhenTheRetryGets412() {
        Location marker = FakeGcsStores.newScratchLocation().resolve("marker");
        // A one-request upload names its object in the body, so every upload of this store's own client matches.
        RecordingConnections http = RecordingConnections.losingResponseOfFirst(2, u -> u.contains("uploadType=multipart"));
        try (Store s = Store.of(FakeGcsStores.open(FakeGcsStores.config().with("gcs.retry.initialDelay", "PT0.01S")
                .with("gcs.retry.maxDelay", "PT0.02S"), http))) {
            ObjectInfo created = s.write(marker, bytes("ours"), PutMode.CREATE);
            assertThat(created).isEqualTo(s.stat(marker).orElseThrow());
            ObjectInfo updated = s.write(marker, bytes("ours, updated"), PutMode.update(created.version().orElseThrow()));
            assertThat(updated).isEqualTo(s.stat(marker).orElseThrow());
            assertThat(updated.version()).isNotEqualTo(created.version());
        }
        assertThat(http.failuresLeft()).as("both first attempts lost their response").isZero();
        assertThat(http.urls()).filteredOn(u -> u.contains("uploadType=multipart")).hasSize(4);
    }

    @Test
    void anUpdateAnswered404IsARefusedCondition() {
        Location loc = FakeGcsStores.newScratchLocation().resolve("lease");
        RecordingConnections http = RecordingConnections.answeringFirst(1,
                u -> u.contains("uploadType=multipart") && u.contains("ifGenerationMatch=42"), 404, "notFound");
        try (Store s = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            assertThatThrownBy(() -> s.write(loc, bytes("x"), PutMode.update("42")))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("expected generation 42");
        }
        assertThat(http.failuresLeft()).isZero();
    }

    @Test
    void aRefusedRewriteNamesTheConditionThatFailed() {
        // The emulator never refuses a rewrite, so the 412 GCS would send is injected into the transport.
        Location root = FakeGcsStores.newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        ObjectInfo listed = store.write(src, bytes("listed"), PutMode.CREATE);
        RecordingConnections http = RecordingConnections.answeringFirst(3, u -> u.contains("/rewriteTo/"), 412,
                "conditionNotMet");
        try (Store s = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            assertThatThrownBy(() -> s.copy(src, dst, PutMode.CREATE)).isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(dst.toString()).hasMessageContaining("already exists");
            assertThatThrownBy(() -> s.copy(src, dst, CopyOptions.pinnedTo(listed, PutMode.CREATE)))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining("already exists").hasMessageContaining(src + " is still version");
            ObjectInfo replaced = s.write(src, bytes("replaced"), PutMode.OVERWRITE);
            assertThatThrownBy(() -> s.copy(src, dst, CopyOptions.pinnedTo(listed, PutMode.CREATE)))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(src + " is no longer version " + listed.version().orElseThrow())
                    .hasMessageContaining("now generation " + replaced.version().orElseThrow());
        }
        assertThat(http.failuresLeft()).isZero();
    }

    @Test
    void aVersionThatIsNotAGenerationIsInvalidInputAndSendsNothing() {
        Location loc = FakeGcsStores.newScratchLocation().resolve("obj");
        store.write(loc, bytes("x"), PutMode.CREATE);
        assertThatThrownBy(() -> store.write(loc, bytes("y"), PutMode.update("etag-from-elsewhere")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageContaining("not a GCS generation");
        assertThat(readAll(store.read(loc))).isEqualTo(bytes("x"));
    }

    @Test
    void aStreamWhoseGenerationIsReplacedFailsWithACauseThatCarriesTheKind() throws IOException {
        Location loc = FakeGcsStores.newScratchLocation().resolve("obj");
        store.write(loc, bytes("first"), PutMode.CREATE);
        try (InputStream in = store.read(loc)) {
            // The media request is made on the first read, after the metadata request fixed the generation.
            store.write(loc, bytes("second"), PutMode.OVERWRITE);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class)
                    .cause().isInstanceOfSatisfying(StoreException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
                        assertThat(e.getMessage()).contains(loc.toString()).contains("replaced or deleted");
                    });
        }
    }

    @Test
    void batchDeletesAreSplitToTheConfiguredBatchSize() {
        RecordingConnections http = RecordingConnections.recording();
        try (Store small = Store.of(FakeGcsStores.open(FakeGcsStores.config().with("gcs.deleteBatchSize", "10"),
                http))) {
            assertThat(small.maxDeleteBatchSize()).isEqualTo(10);
            Location root = FakeGcsStores.newScratchLocation();
            List<Location> targets = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                Location loc = root.resolve(String.format("o%03d", i));
                if (i % 5 != 0) {
                    small.write(loc, bytes("x"), PutMode.CREATE);
                }
                targets.add(loc);
            }
            List<DeleteResult> results = small.deleteBatch(targets);
            assertThat(results).extracting(DeleteResult::location).containsExactlyElementsOf(targets);
            assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.toString()).isTrue());
            assertThat(http.urls()).filteredOn(u -> u.contains("/batch/storage/v1")).hasSize(3);
            try (var listing = small.list(root)) {
                assertThat(listing.count()).isZero();
            }
        }
    }

    @Test
    void aBatchThatFailsAsAWholeIsSentAgain() {
        assertEveryObjectDeletedAfterWholeBatchFailures(1, 0);
    }

    @Test
    void aBatchThatFailsAsAWholeTwiceIsSplitIntoSingleDeletesAndNothingIsAborted() {
        assertEveryObjectDeletedAfterWholeBatchFailures(2, 5);
    }

    /** Five objects deleted in one batch whose first {@code failures} sends fail with 503 as a whole. */
    private static void assertEveryObjectDeletedAfterWholeBatchFailures(int failures, int singleDeletes) {
        RecordingConnections http = RecordingConnections.answeringFirst(failures,
                u -> u.contains("/batch/storage/v1"), 503, "backendError");
        try (Store s = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            List<Location> targets = written(5);
            List<DeleteResult> results = s.deleteBatch(targets);
            assertThat(results).extracting(DeleteResult::location).containsExactlyElementsOf(targets);
            assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.toString()).isTrue());
            assertThat(http.failuresLeft()).isZero();
            assertThat(http.urls()).filteredOn(u -> u.contains("/batch/storage/v1")).hasSize(2);
            assertThat(http.urls()).filteredOn(u -> !u.contains("/batch/") && u.contains("/o/"))
                    .hasSize(singleDeletes);
            assertThat(targets).allSatisfy(t -> assertThat(s.stat(t)).isEmpty());
        }
    }

    @Test
    void singleDeletesAfterAFailedBatchReportTheirOwnFailuresInsteadOfThrowing() {
        // Every request fails with 403: the batch as a whole and then each single delete. The caller still gets
        // one result per object, each failed with PERMISSION_DENIED, rather than an exception half way.
        RecordingConnections http = RecordingConnections.answeringFirst(100, u -> u.contains("/o/")
                || u.contains("/batch/storage/v1"), 403, "forbidden");
        Location root = FakeGcsStores.newScratchLocation();
        List<Location> targets = List.of(root.resolve("a"), root.resolve("b"), root.resolve("c"));
        try (Store s = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            List<DeleteResult> results = s.deleteBatch(targets);
            assertThat(results).extracting(DeleteResult::location).containsExactlyElementsOf(targets);
            assertThat(results).allSatisfy(r -> {
                assertThat(r.succeeded()).isFalse();
                assertThat(r.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            });
            assertThat(http.urls()).filteredOn(u -> u.contains("/batch/storage/v1")).hasSize(1);
        }
    }

    private static List<Location> written(int count) {
        Location root = FakeGcsStores.newScratchLocation();
        List<Location> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Location loc = root.resolve("o" + i);
            store.write(loc, bytes("x"), PutMode.CREATE);
            targets.add(loc);
        }
        return targets;
    }

    @Test
    void retryBudgetIsConfigurableAndUsed() {
        Location loc = FakeGcsStores.newScratchLocation().resolve("flaky");
        store.write(loc, bytes("x"), PutMode.CREATE);
        StoreConfig fast = FakeGcsStores.config().with("gcs.retry.initialDelay", "10").with("gcs.retry.maxDelay", "20");

        RecordingConnections twoFailures = RecordingConnections.failingFirst(2, u -> u.contains("/o/"));
        try (GcsObjectStore s = FakeGcsStores.open(fast.with("gcs.retry.maxAttempts", "3"), twoFailures)) {
            assertThat(s.client().getOptions().getRetrySettings().getMaxAttempts()).isEqualTo(3);
            assertThat(Store.of(s).stat(loc)).isPresent();
            assertThat(twoFailures.failuresLeft()).isZero();
        }

        RecordingConnections oneFailure = RecordingConnections.failingFirst(1, u -> u.contains("/o/"));
        try (GcsObjectStore s = FakeGcsStores.open(fast.with("gcs.retry.maxAttempts", "1"), oneFailure)) {
            assertThatThrownBy(() -> Store.of(s).stat(loc))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT))
                    .hasMessageContaining(loc.toString()).hasMessageContaining("injected");
        }
    }

    @Test
    void deadlinesReachTheClientEvenThroughACustomTransport() {
        StoreConfig config = FakeGcsStores.config().with("gcs.timeout.attempt", "PT7S")
                .with("gcs.timeout.operation", "PT11S");
        try (GcsObjectStore s = FakeGcsStores.open(config, RecordingConnections.recording())) {
            var retry = s.client().getOptions().getRetrySettings();
            assertThat(retry.getTotalTimeoutDuration()).isEqualTo(Duration.ofSeconds(11));
            assertThat(retry.getMaxRpcTimeoutDuration()).isEqualTo(Duration.ofSeconds(7));
            var transport = (com.google.cloud.http.HttpTransportOptions) s.client().getOptions().getTransportOptions();
            assertThat(transport.getReadTimeout()).isEqualTo(7000);
            assertThat(transport.getConnectTimeout()).isEqualTo(7000);
        }
    }

    @Test
    void storeFromAnExistingClientUsesItAndLeavesItOpen() {
        Location loc = FakeGcsStores.newScratchLocation().resolve("shared-client");
        try (Store s = Store.of(GcsObjectStore.builder().client(spi.client()).build())) {
            s.write(loc, bytes("x"), PutMode.CREATE);
        }
        assertThat(store.stat(loc)).isPresent();
    }

    @Test
    void providerOpensTheStoreForGsLocations() {
        assertThat(Store.provider(Scheme.GCS)).isInstanceOf(GcsObjectStoreProvider.class);
        try (Store s = Store.open(Location.parse("gs://" + FakeGcsStores.BUCKET + "/x"), FakeGcsStores.config())) {
            assertThat(s.spi()).isInstanceOf(GcsObjectStore.class);
            Location loc = FakeGcsStores.newScratchLocation().resolve("via-provider");
            s.write(loc, bytes("x"), PutMode.CREATE);
            assertThat(s.stat(loc)).isPresent();
        }
    }

    @Test
    void storageEmulatorHostVariableIsHonouredWithoutCredentials() {
        String hostPort = FakeGcsServer.shared().endpoint().substring("http://".length());
        try (GcsObjectStore s = GcsObjectStore.builder().environment(Map.of("STORAGE_EMULATOR_HOST", hostPort)).build()) {
            assertThat(s.settings().endpoint()).contains("http://" + hostPort);
            assertThat(s.settings().credentials()).isEqualTo(GcsSettings.CredentialsMode.NONE);
            Location loc = FakeGcsStores.newScratchLocation().resolve("via-env");
            Store.of(s).write(loc, bytes("x"), PutMode.CREATE);
            assertThat(store.stat(loc)).isPresent();
        }
    }

    @Test
    void accessTokenNeverAppearsInToStringsOrErrors() {
        String token = "ya29.FAKE-SECRET-TOKEN-6c1f0e";
        StoreConfig config = FakeGcsStores.config().with("gcs.credentials", "access-token").with("gcs.accessToken", token)
                .with("gcs.retry.maxAttempts", "1");
        List<String> texts = new ArrayList<>();
        try (GcsObjectStore opened = GcsObjectStore.open(config)) {
            Store s = Store.of(opened);
            texts.add(s.toString());
            texts.add(opened.settings().toString());
            texts.add(config.toString());
            Location missing = FakeGcsStores.newScratchLocation().resolve("missing");
            Location loc = FakeGcsStores.newScratchLocation().resolve("present");
            s.write(loc, bytes("x"), PutMode.CREATE);
            collect(texts, () -> s.write(loc, bytes("y"), PutMode.CREATE));
            collect(texts, () -> readAll(s.read(missing)));
            collect(texts, () -> s.copy(missing, loc, PutMode.CREATE));
            collect(texts, () -> s.write(Location.parse("gs://no-such-bucket-here/x"), bytes("x"), PutMode.CREATE));
            collect(texts, () -> s.listPage(Location.parse("gs://no-such-bucket-here/x"), false, null, 10));
        }
        collect(texts, () -> GcsObjectStore.open(config.with("gcs.endpoint", "http://user:" + token + "@127.0.0.1:1")));
        collect(texts, () -> GcsObjectStore.open(config.with("gcs.credentials", "none")));
        assertThat(texts).hasSizeGreaterThanOrEqualTo(10);
        assertThat(texts).noneMatch(t -> t.contains(token) || t.contains("FAKE-SECRET"));
    }

    /** Runs {@code action}, which must fail, and adds the message of every exception in the chain. */
    private static void collect(List<String> texts, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                texts.add(String.valueOf(t.getMessage()) + " " + t);
            }
            return;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void unknownGcsKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> GcsObjectStore.open(FakeGcsStores.config().with("gcs.deleteBatchsize", "10")))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.key()).isEqualTo("gcs.deleteBatchsize");
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                })
                .hasMessageContaining("gcs.deleteBatchsize").hasMessageContaining("gcs.deleteBatchSize");
        // The retry key of the first SPI is gone: the common gcs.timeout.operation replaced it.
        assertThatThrownBy(() -> Store.open(Location.parse("gs://" + FakeGcsStores.BUCKET + "/x"),
                FakeGcsStores.config().with("gcs.retry.totalTimeout", "PT5S")))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.key()).isEqualTo("gcs.retry.totalTimeout"));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        StoreConfig base = FakeGcsStores.config();
        Object[][] cases = {
            {"gcs.deleteBatchSize", "101", "100"},
            {"gcs.uploadChunkSize", "1000000", "256 KiB"},
            {"gcs.retry.maxAttempts", "0", "1 to 100"},
            {"gcs.timeout.operation", "soon", "ISO-8601"},
            {"gcs.timeout.attempt", "PT0S", "positive"},
            {"gcs.retry.maxDelay", "1", "gcs.retry.initialDelay"},
            {"gcs.endpoint", "ftp://127.0.0.1", "http(s)"},
            {"gcs.credentials", "secret-file", "adc, none, access-token"},
            {"gcs.createOnlyCopy", "copy", "rewrite, download-upload"},
        };
        for (Object[] c : cases) {
            assertThatThrownBy(() -> GcsObjectStore.open(base.with((String) c[0], (String) c[1]))).as((String) c[0])
                    .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo(c[0]))
                    .hasMessageContaining((String) c[2]);
        }
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.credentials", "access-token")))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.key()).isEqualTo("gcs.credentials"))
                .hasMessageContaining("gcs.accessToken");
    }

    @Test
    void everySettingIsDeclaredWithADefaultOrAMeaningForUnset() {
        assertThat(GcsSettings.SETTINGS).extracting(s -> s.key()).allMatch(k -> k.startsWith("gcs.")).doesNotHaveDuplicates()
                .contains("gcs.retry.maxAttempts", "gcs.timeout.attempt", "gcs.timeout.operation");
        assertThat(GcsSettings.SETTINGS).allSatisfy(s -> assertThat(s.description()).isNotBlank());
        assertThat(GcsSettings.ACCESS_TOKEN.secret()).isTrue();
    }

    @Test
    void downloadUploadCopiesHonourTheTargetConditionAndThePinnedGeneration() {
        Location root = FakeGcsStores.newScratchLocation();
        try (Store s = Store.of(FakeGcsStores.open(FakeGcsStores.config().with("gcs.createOnlyCopy", "download-upload")))) {
            ObjectInfo src = s.write(root.resolve("src"), bytes("new"), PutMode.CREATE);
            s.write(root.resolve("dst"), bytes("committed"), PutMode.CREATE);
            assertThatThrownBy(() -> s.copy(root.resolve("src"), root.resolve("dst"), PutMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(root.resolve("dst").toString());
            ObjectInfo copied = s.copy(root.resolve("src"), root.resolve("dst2"), CopyOptions.pinnedTo(src, PutMode.CREATE));
            assertThat(copied.sameContentAs(src)).contains(true);
            assertThat(copied).isEqualTo(s.stat(root.resolve("dst2")).orElseThrow());

            s.write(root.resolve("src"), bytes("replaced"), PutMode.OVERWRITE);
            assertThatThrownBy(() -> s.copy(root.resolve("src"), root.resolve("dst3"),
                    CopyOptions.pinnedTo(src, PutMode.CREATE)))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(root.resolve("src").toString());
            assertThat(s.stat(root.resolve("dst3"))).isEmpty();
            assertThatThrownBy(() -> s.copy(root.resolve("absent"), root.resolve("dst4"), PutMode.CREATE))
                    .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(root.resolve("absent").toString());
        }
    }

    @Test
    void bucketNameGcsForbidsIsRefusedWhenTheLocationIsParsed() {
        assertThatThrownBy(() -> Location.parse("gs://google-checkpoints/run1"))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("google");
        assertThatThrownBy(() -> Location.parse("gs://My_Bucket/run1"))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("lowercase");
    }
}
