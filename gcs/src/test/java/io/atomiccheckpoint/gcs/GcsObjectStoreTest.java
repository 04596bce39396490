package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.gcs.testing.FakeGcsServer;
import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.gcs.testing.RecordingConnections;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.ObjectStores;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
    private static GcsObjectStore store;

    @BeforeAll
    static void open() {
        store = FakeGcsStores.open();
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
    void twentyMebibyteObjectSurvivesCopyWithMatchingCrc32c() {
        Location root = FakeGcsStores.newScratchLocation();
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(20).nextBytes(data);
        try (GcsObjectStore rewriting = FakeGcsStores.open(FakeGcsStores.config().with("gcs.rewriteMegabytesPerCall", "4"))) {
            ObjectInfo written = rewriting.write(root.resolve("tmp/shard.bin"), new ByteArrayInputStream(data),
                    data.length, WriteMode.CREATE);
            ObjectInfo copied = rewriting.copy(root.resolve("tmp/shard.bin"), root.resolve("final/shard.bin"),
                    WriteMode.CREATE);
            String expected = crc32cBase64(data);
            assertThat(written.checksums()).containsEntry("crc32c", expected);
            assertThat(copied.size()).isEqualTo(data.length);
            assertThat(copied.checksums()).containsEntry("crc32c", expected)
                    .containsEntry("md5", written.checksums().get("md5"));
            assertThat(copied.version()).isNotEqualTo(written.version());
            assertThat(rewriting.stat(root.resolve("final/shard.bin")).orElseThrow().checksums())
                    .containsEntry("crc32c", expected);
            assertThat(readAll(rewriting.read(root.resolve("final/shard.bin")))).isEqualTo(data);
        }
    }

    @Test
    void secondCreateOnlyMarkerWriteFailsWithThePreconditionException() {
        Location marker = FakeGcsStores.newScratchLocation().resolve("commit_success.txt");
        ObjectInfo first = store.write(marker, bytes("committed"), WriteMode.CREATE);
        assertThatThrownBy(() -> store.write(marker, bytes("again"), WriteMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining(marker.toString());
        assertThat(store.stat(marker).orElseThrow().version()).isEqualTo(first.version());
    }

    @Test
    void createOnlyWritesCarryTheWriteIdThatTellsOurRetryFromALostRace() {
        // A retried create-only write whose first attempt succeeded meets 412; the store then finds its own write id
        // on the object and reports success. A different writer's id means the race was lost.
        Location marker = FakeGcsStores.newScratchLocation().resolve("marker");
        ObjectInfo first = store.write(marker, bytes("ours"), WriteMode.CREATE);
        assertThat(store.client().get(marker.bucket(), marker.key()).getMetadata())
                .containsKey(GcsUploads.WRITE_ID_KEY);
        assertThatThrownBy(() -> store.write(marker, bytes("theirs"), WriteMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.stat(marker).orElseThrow().version()).isEqualTo(first.version());
    }

    @Test
    void readerCanAskForTheCommittedGeneration() {
        Location loc = FakeGcsStores.newScratchLocation().resolve("state.bin");
        ObjectInfo first = store.write(loc, bytes("generation one"), WriteMode.CREATE);
        long generation = GcsObjectStore.generationOf(first);
        assertThat(readAll(store.read(loc, generation))).isEqualTo(bytes("generation one"));
        ObjectInfo second = store.write(loc, bytes("generation two"), WriteMode.OVERWRITE);
        assertThat(GcsObjectStore.generationOf(second)).isNotEqualTo(generation);
        assertThat(readAll(store.read(loc, GcsObjectStore.generationOf(second)))).isEqualTo(bytes("generation two"));
        // Without object versioning the replaced generation is gone, and asking for it says so.
        assertThatThrownBy(() -> readAll(store.read(loc, generation)))
                .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(loc.toString());
    }

    @Test
    void locationOfAnotherSchemeIsRefusedBeforeAnyRequest() {
        RecordingConnections http = RecordingConnections.recording();
        try (GcsObjectStore s = GcsObjectStore.builder().config(FakeGcsStores.config())
                .customizeOptions(http.install()).build()) {
            Location s3 = Location.parse("s3://some-bucket/key");
            assertThatThrownBy(() -> s.stat(s3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gs://").hasMessageContaining("s3://some-bucket/key");
            assertThatThrownBy(() -> s.write(Location.parse("az://container/key"), bytes("x"), WriteMode.CREATE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("az://container/key");
            assertThatThrownBy(() -> s.deleteBatch(List.of(FakeGcsStores.newScratchLocation().resolve("a"), s3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://");
            assertThat(http.urls()).isEmpty();
        }
    }

    @Test
    void bucketNameGcsForbidsIsRefusedWhenTheLocationIsParsed() {
        assertThatThrownBy(() -> Location.parse("gs://google-checkpoints/run1"))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("google");
        assertThatThrownBy(() -> Location.parse("gs://My_Bucket/run1"))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> Location.parse("gs://ab/run1"))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("3 to 63");
    }

    @Test
    void deleteBatchReportsEachObjectAndRefusesMoreThanTheLimit() {
        Location root = FakeGcsStores.newScratchLocation();
        List<Location> targets = new ArrayList<>();
        for (int i = 0; i < store.maxDeleteBatchSize(); i++) {
            Location loc = root.resolve(String.format("o%03d", i));
            if (i % 10 != 0) {
                store.write(loc, bytes("x"), WriteMode.CREATE);
            }
            targets.add(loc);
        }
        assertThat(store.maxDeleteBatchSize()).isEqualTo(100);
        List<DeleteResult> results = store.deleteBatch(targets);
        assertThat(results).extracting(DeleteResult::location).containsExactlyElementsOf(targets);
        assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.toString()).isTrue());
        try (var listing = store.list(root)) {
            assertThat(listing.count()).isZero();
        }
        List<Location> tooMany = new ArrayList<>(targets);
        tooMany.add(root.resolve("extra"));
        assertThatThrownBy(() -> store.deleteBatch(tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101").hasMessageContaining("gcs.deleteBatchSize");
    }

    @Test
    void retryBudgetIsConfigurableAndUsed() {
        Location loc = FakeGcsStores.newScratchLocation().resolve("flaky");
        store.write(loc, bytes("x"), WriteMode.CREATE);
        StoreConfig fast = FakeGcsStores.config().with("gcs.retry.initialDelay", "10").with("gcs.retry.maxDelay", "20");

        RecordingConnections twoFailures = RecordingConnections.failingFirst(2, u -> u.contains("/o/"));
        try (GcsObjectStore s = GcsObjectStore.builder().config(fast.with("gcs.retry.maxAttempts", "3"))
                .customizeOptions(twoFailures.install()).build()) {
            assertThat(s.client().getOptions().getRetrySettings().getMaxAttempts()).isEqualTo(3);
            assertThat(s.stat(loc)).isPresent();
            assertThat(twoFailures.failuresLeft()).isZero();
        }

        RecordingConnections oneFailure = RecordingConnections.failingFirst(1, u -> u.contains("/o/"));
        try (GcsObjectStore s = GcsObjectStore.builder().config(fast.with("gcs.retry.maxAttempts", "1"))
                .customizeOptions(oneFailure.install()).build()) {
            assertThatThrownBy(() -> s.stat(loc)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(loc.toString()).hasMessageContaining("injected");
        }
    }

    @Test
    void storeFromAnExistingClientUsesItAndLeavesItOpen() {
        Location loc = FakeGcsStores.newScratchLocation().resolve("shared-client");
        try (GcsObjectStore s = GcsObjectStore.builder().client(store.client()).build()) {
            s.write(loc, bytes("x"), WriteMode.CREATE);
        }
        assertThat(store.stat(loc)).isPresent();
    }

    @Test
    void providerIsFoundForGsLocations() {
        assertThat(ObjectStores.provider(Scheme.GCS)).isInstanceOf(GcsObjectStoreProvider.class);
        try (ObjectStore s = ObjectStores.open(Location.parse("gs://" + FakeGcsStores.BUCKET + "/x"), FakeGcsStores.config())) {
            assertThat(s).isInstanceOf(GcsObjectStore.class);
            Location loc = FakeGcsStores.newScratchLocation().resolve("via-provider");
            s.write(loc, bytes("x"), WriteMode.CREATE);
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
            s.write(loc, bytes("x"), WriteMode.CREATE);
            assertThat(store.stat(loc)).isPresent();
        }
    }

    @Test
    void accessTokenNeverAppearsInToStringsOrErrors() {
        String token = "ya29.FAKE-SECRET-TOKEN-6c1f0e";
        StoreConfig config = FakeGcsStores.config().with("gcs.credentials", "access-token").with("gcs.accessToken", token)
                .with("gcs.retry.maxAttempts", "1");
        List<String> texts = new ArrayList<>();
        try (GcsObjectStore s = GcsObjectStore.open(config)) {
            texts.add(s.toString());
            texts.add(s.settings().toString());
            texts.add(config.toString());
            Location missing = FakeGcsStores.newScratchLocation().resolve("missing");
            Location loc = FakeGcsStores.newScratchLocation().resolve("present");
            s.write(loc, bytes("x"), WriteMode.CREATE);
            collect(texts, () -> s.write(loc, bytes("y"), WriteMode.CREATE));
            collect(texts, () -> readAll(s.read(missing)));
            collect(texts, () -> s.copy(missing, loc, WriteMode.CREATE));
            collect(texts, () -> s.write(Location.parse("gs://no-such-bucket-here/x"), bytes("x"), WriteMode.CREATE));
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
    void badSettingsAreRefusedNamingTheKey() {
        StoreConfig base = FakeGcsStores.config();
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.deleteBatchsize", "10")))
                .hasMessageContaining("gcs.deleteBatchsize").hasMessageContaining("gcs.deleteBatchSize");
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.deleteBatchSize", "101")))
                .hasMessageContaining("gcs.deleteBatchSize").hasMessageContaining("100");
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.uploadChunkSize", "1000000")))
                .hasMessageContaining("gcs.uploadChunkSize").hasMessageContaining("256 KiB");
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.retry.maxAttempts", "0")))
                .hasMessageContaining("gcs.retry.maxAttempts");
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.retry.totalTimeout", "soon")))
                .hasMessageContaining("gcs.retry.totalTimeout");
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.endpoint", "ftp://127.0.0.1")))
                .hasMessageContaining("gcs.endpoint");
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.credentials", "access-token")))
                .hasMessageContaining("gcs.accessToken");
        assertThatThrownBy(() -> GcsObjectStore.open(base.with("gcs.credentials", "secret-file")))
                .hasMessageContaining("gcs.credentials");
    }

    @Test
    void downloadUploadCopyModeRefusesAnExistingTargetOnTheEmulator() {
        Location root = FakeGcsStores.newScratchLocation();
        try (GcsObjectStore s = FakeGcsStores.open(FakeGcsStores.config().with("gcs.createOnlyCopy", "download-upload"))) {
            ObjectInfo src = s.write(root.resolve("src"), bytes("new"), WriteMode.CREATE);
            s.write(root.resolve("dst"), bytes("committed"), WriteMode.CREATE);
            assertThatThrownBy(() -> s.copy(root.resolve("src"), root.resolve("dst"), WriteMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(root.resolve("dst").toString());
            ObjectInfo copied = s.copy(root.resolve("src"), root.resolve("dst2"), WriteMode.CREATE);
            assertThat(copied.sameContentAs(src)).contains(true);
            assertThatThrownBy(() -> s.copy(root.resolve("absent"), root.resolve("dst3"), WriteMode.CREATE))
                    .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(root.resolve("absent").toString());
        }
    }

    @Test
    void rootOfTheBucketIsNotAnObject() {
        Location bucketRoot = Location.parse("gs://" + FakeGcsStores.BUCKET);
        assertThatThrownBy(() -> store.write(bucketRoot, bytes("x"), WriteMode.CREATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket root");
    }
}
