package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.azure.testing.AzuriteLauncher;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Azure-specific behaviour of {@link AzureBlobObjectStore} on Azurite, beyond the conformance contracts. */
class AzureBlobObjectStoreTest {
    private static final Map<String, String> STAGED = Map.of(
            "azure.upload.singleMaxBytes", "1024", "azure.upload.blockBytes", "1024");
    private static Store store;
    private static Location container;

    @BeforeAll
    static void open() {
        store = Store.of(AzuriteStores.open(Map.of()));
        container = AzuriteStores.newContainer("specific");
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    private static Location scratch() {
        return AzuriteStores.scratch(container);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] readAll(Store s, Location loc) {
        try (InputStream in = s.read(loc)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    }

    /** A store on the emulator whose requests {@code recorder} sees. */
    private static Store recorded(Wire.Recorder recorder, Map<String, String> overrides) {
        return Store.of(AzureBlobObjectStore.builder().config(AzuriteStores.config(overrides))
                .clientCustomizer(b -> b.addPolicy(recorder)).build());
    }

    @Test
    void eachPutModeSendsItsConditionOnTheRequestThatMakesTheBlobVisible() {
        Wire.Recorder wire = new Wire.Recorder();
        try (Store single = recorded(wire, Map.of()); Store staged = recorded(wire, STAGED)) {
            for (Store s : List.of(single, staged)) {
                Location loc = scratch().resolve("lease");
                byte[] data = random(3000, 1);
                wire.clear();
                ObjectInfo first = s.write(loc, data, PutMode.CREATE);
                assertThat(last(wire).ifNoneMatch()).isEqualTo("*");
                assertThat(last(wire).ifMatch()).isNull();
                ObjectInfo second = s.write(loc, data, PutMode.update(first.version().orElseThrow()));
                assertThat(last(wire).ifMatch()).isEqualTo("\"" + first.version().orElseThrow() + "\"");
                s.write(loc, data, PutMode.OVERWRITE);
                assertThat(last(wire).ifMatch()).isNull();
                assertThat(last(wire).ifNoneMatch()).isNull();
                // Staged blocks are invisible until committed, so only the commit carries a condition.
                assertThat(wire.requests()).filteredOn(r -> r.operation().equals("PUT comp=block"))
                        .hasSize(s == staged ? 9 : 0)
                        .allSatisfy(r -> assertThat(r.ifMatch()).isNull())
                        .allSatisfy(r -> assertThat(r.ifNoneMatch()).isNull());
                assertThatThrownBy(() -> s.write(loc, data, PutMode.update(second.version().orElseThrow())))
                        .isInstanceOf(PreconditionFailedException.class)
                        .hasMessageContaining("an update expected version " + second.version().orElseThrow());
            }
        }
    }

    private static Wire.Request last(Wire.Recorder wire) {
        List<Wire.Request> all = wire.requests();
        return all.get(all.size() - 1);
    }

    @Test
    void secondCreateOnlyMarkerWriteFailsWithPreconditionOnTheStagedBlockPath() {
        try (Store staged = Store.of(AzuriteStores.open(STAGED))) {
            assertThat(staged.unwrap(AzureBlobObjectStore.class).orElseThrow().writeIsStaged(5000)).isTrue();
            Location marker = scratch().resolve("commit_success.txt");
            byte[] first = random(5000, 1);
            staged.write(marker, first, PutMode.CREATE);
            assertThatThrownBy(() -> staged.write(marker, random(5000, 2), PutMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(marker.toString());
            assertThat(readAll(staged, marker)).isEqualTo(first);
        }
    }

    @Test
    void aVersionedReadSendsIfMatchAndReadsThatVersion() throws Exception {
        Wire.Recorder wire = new Wire.Recorder();
        try (Store s = recorded(wire, Map.of())) {
            Location loc = scratch().resolve("obj");
            ObjectInfo written = s.write(loc, "v1".getBytes(StandardCharsets.UTF_8), PutMode.CREATE);
            wire.clear();
            try (InputStream in = s.read(loc, GetOptions.version(written.version().orElseThrow()))) {
                assertThat(in.readAllBytes()).isEqualTo("v1".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(wire.requests()).first().satisfies(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.ifMatch()).isEqualTo("\"" + written.version().orElseThrow() + "\"");
            });
        }
    }

    @Test
    void aStreamThatOutlivesItsVersionFailsWithAnIOExceptionCausedByThePreconditionFailure() throws Exception {
        Location loc = scratch().resolve("big");
        store.write(loc, random(9 * 1024 * 1024, 8), PutMode.CREATE);
        try (InputStream in = store.read(loc)) {
            // The SDK fetches 4 MiB chunks, each after the first pinned to the first one's ETag.
            assertThat(in.readNBytes(1024)).hasSize(1024);
            store.write(loc, random(9 * 1024 * 1024, 9), PutMode.OVERWRITE);
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .cause().isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(loc.toString());
        }
    }

    @Test
    void largeCopyTakesTheAsynchronousPathAndReportsTheTargetAsTheServiceHoldsIt() throws Exception {
        try (Store lowered = Store.of(AzuriteStores.open(Map.of(
                "azure.syncCopyMaxBytes", String.valueOf(1024 * 1024), "azure.copy.pollInterval", "PT0.05S")))) {
            Location root = scratch();
            byte[] data = random(1536 * 1024, 3);
            Location src = root.resolve("tmp/big.bin");
            Location dst = root.resolve("final/big.bin");
            ObjectInfo source = lowered.write(src, data, PutMode.CREATE);
            assertThat(lowered.unwrap(AzureBlobObjectStore.class).orElseThrow().copyPathFor(data.length))
                    .isEqualTo(ServerSideCopier.Path.ASYNC_COPY);

            ObjectInfo copied = lowered.copy(src, dst, CopyOptions.pinnedTo(source, PutMode.CREATE));

            assertThat(copied).isEqualTo(lowered.stat(dst).orElseThrow());
            assertThat(copied.checksums()).containsEntry("md5", md5(data));
            assertThat(readAll(lowered, dst)).isEqualTo(data);
            lowered.write(root.resolve("tmp/big2.bin"), data, PutMode.CREATE);
            assertThatThrownBy(() -> lowered.copy(root.resolve("tmp/big2.bin"), dst, PutMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(dst.toString()).hasMessageContaining("create-only");
            assertThat(lowered.stat(dst).orElseThrow().version()).isEqualTo(copied.version());
        }
    }

    @Test
    void aPinnedCopySendsOneRequestWithTheSourceConditionAndReportsWhatStatSees() throws Exception {
        Location root = scratch();
        byte[] data = random(30_000, 5);
        store.write(root.resolve("tmp/a"), data, PutMode.CREATE);
        ObjectInfo listed;
        try (Stream<ObjectInfo> listing = store.list(root.resolve("tmp"))) {
            listed = listing.findFirst().orElseThrow();
        }
        Wire.Recorder wire = new Wire.Recorder();
        try (Store counted = recorded(wire, Map.of())) {
            ObjectInfo copied = counted.copy(root.resolve("tmp/a"), root.resolve("final/a"),
                    CopyOptions.pinnedTo(listed, PutMode.CREATE));
            assertThat(wire.operations()).as("requests for one pinned copy").containsExactly("PUT");
            Wire.Request copy = wire.requests().get(0);
            assertThat(copy.sourceIfMatch()).isEqualTo("\"" + listed.version().orElseThrow() + "\"");
            assertThat(copy.ifNoneMatch()).isEqualTo("*");
            ObjectInfo there = store.stat(root.resolve("final/a")).orElseThrow();
            assertThat(copied.key()).isEqualTo(there.key());
            assertThat(copied.size()).isEqualTo(there.size()).isEqualTo(data.length);
            assertThat(copied.version()).isEqualTo(there.version());
            assertThat(copied.lastModified()).isEqualTo(there.lastModified());
            // Copy Blob From URL returns no checksum of the blob; the property was carried over all the same.
            assertThat(there.checksums()).containsEntry("md5", md5(data));
        }
        assertThat(readAll(store, root.resolve("final/a"))).isEqualTo(data);
    }

    @Test
    void anAsynchronousCopySendsBothConditionsOnStartCopy() {
        Location root = scratch();
        Location src = root.resolve("a");
        ObjectInfo source = store.write(src, random(4096, 7), PutMode.CREATE);
        Wire.Recorder wire = new Wire.Recorder();
        try (Store async = recorded(wire, Map.of("azure.syncCopyMaxBytes", "0", "azure.copy.pollInterval", "PT0.05S"))) {
            ObjectInfo copied = async.copy(src, root.resolve("b"), CopyOptions.pinnedTo(source, PutMode.CREATE));
            Wire.Request start = wire.requests().stream().filter(r -> r.copySource() != null).findFirst()
                    .orElseThrow();
            assertThat(start.method()).isEqualTo("PUT");
            assertThat(start.sourceIfMatch()).isEqualTo("\"" + source.version().orElseThrow() + "\"");
            assertThat(start.ifNoneMatch()).isEqualTo("*");
            assertThat(copied).isEqualTo(store.stat(root.resolve("b")).orElseThrow());
            store.write(src, random(10, 8), PutMode.OVERWRITE);
            assertThatThrownBy(() -> async.copy(src, root.resolve("c"), CopyOptions.pinnedTo(source, PutMode.CREATE)))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining("the source " + src + " is no longer version");
            assertThat(store.stat(root.resolve("c"))).isEmpty();
        }
    }

    @Test
    void rangesAtOrPastTheEndReadNothing() throws Exception {
        Location loc = scratch().resolve("r");
        store.write(loc, new byte[10], PutMode.CREATE);
        for (GetOptions range : List.of(GetOptions.range(10, -1), GetOptions.range(20, 5), GetOptions.range(3, 0))) {
            try (InputStream in = store.read(loc, range)) {
                assertThat(in.readAllBytes()).as(range.toString()).isEmpty();
            }
        }
    }

    @Test
    void anUnpinnedCopyReadsItsSourceAndPinsItselfToWhatItRead() {
        Location root = scratch();
        ObjectInfo source = store.write(root.resolve("a"), random(2048, 6), PutMode.CREATE);
        Wire.Recorder wire = new Wire.Recorder();
        try (Store counted = recorded(wire, Map.of())) {
            ObjectInfo copied = counted.copy(root.resolve("a"), root.resolve("b"), PutMode.OVERWRITE);
            assertThat(wire.operations()).containsExactly("HEAD", "PUT");
            assertThat(wire.requests().get(1).sourceIfMatch()).isEqualTo("\"" + source.version().orElseThrow() + "\"");
            assertThat(wire.requests().get(1).ifNoneMatch()).isNull();
            assertThat(copied.size()).isEqualTo(2048);
            assertThat(copied.version()).isEqualTo(store.stat(root.resolve("b")).orElseThrow().version());
        }
    }

    @Test
    void writesReportWhatTheServiceReturnedAndStatAndListingRepeatTheBlobsChecksum() throws Exception {
        try (Store staged = Store.of(AzuriteStores.open(Map.of(
                "azure.upload.singleMaxBytes", "4096", "azure.upload.blockBytes", "4096")))) {
            Location root = scratch();
            byte[] small = random(1000, 5);
            byte[] large = random(10_000, 6);
            ObjectInfo smallInfo = staged.write(root.resolve("small"), small, PutMode.CREATE);
            ObjectInfo largeInfo = staged.write(root.resolve("large"), large, PutMode.CREATE);
            // Put Blob answers with the MD5 the service computed of the body; Put Block List's MD5 is that of
            // the block list, so a staged write reports none.
            assertThat(smallInfo.checksums()).containsEntry("md5", md5(small));
            assertThat(largeInfo.checksums()).doesNotContainKey("md5");
            for (ObjectInfo written : List.of(smallInfo, largeInfo)) {
                ObjectInfo stat = staged.stat(root.sameBucket(written.key())).orElseThrow();
                assertThat(stat.version()).isPresent().isEqualTo(written.version());
                assertThat(stat.version().get()).doesNotStartWith("\"");
                assertThat(stat.size()).isEqualTo(written.size());
            }
            assertThat(staged.stat(root.resolve("large")).orElseThrow().checksums()).containsEntry("md5", md5(large));
            List<ObjectInfo> listed;
            try (Stream<ObjectInfo> s = staged.list(root)) {
                listed = s.collect(Collectors.toList());
            }
            assertThat(listed).extracting(ObjectInfo::key).containsExactly(largeInfo.key(), smallInfo.key());
            assertThat(listed.get(0).version()).isEqualTo(largeInfo.version());
            assertThat(listed.get(0).checksums().get("md5")).isEqualTo(md5(large));
            assertThat(listed.get(1).checksums().get("md5")).isEqualTo(md5(small));
        }
    }

    @Test
    void refusesLocationsOfAnotherAccount() {
        Location other = Location.parse("https://someoneelse.blob.core.windows.net/" + container.bucket() + "/k");
        assertThatThrownBy(() -> store.write(other, new byte[1], PutMode.CREATE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("account 'someoneelse'")
                .hasMessageContaining("serves account '" + AzuriteLauncher.ACCOUNT + "'")
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> store.spi().stat(other)).isInstanceOf(StoreException.class)
                .hasMessageContaining("someoneelse");
    }

    @Test
    void acceptsTheHttpsFormForItsOwnAccount() {
        Location root = scratch();
        Location https = Location.parse("https://" + AzuriteLauncher.ACCOUNT + ".blob.core.windows.net/"
                + container.bucket() + "/" + root.key() + "/via%20https");
        store.write(https, "x".getBytes(StandardCharsets.UTF_8), PutMode.CREATE);
        assertThat(readAll(store, root.resolve("via https"))).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(store.unwrap(AzureBlobObjectStore.class).orElseThrow().account()).isEqualTo(AzuriteLauncher.ACCOUNT);
    }

    @Test
    void missingContainerIsReportedByName() {
        Location loc = Location.parse("az://no-such-container-here/key");
        assertThatThrownBy(() -> store.write(loc, new byte[1], PutMode.CREATE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("container 'no-such-container-here' does not exist")
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> store.list(loc).count()).hasMessageContaining("does not exist");
    }

    @Test
    void oneDeleteRequestTakesTheFull256AcrossContainersAndTheFacadeSplitsMore() {
        assertThat(store.maxDeleteBatchSize()).isEqualTo(256);
        Location root = scratch();
        Location other = AzuriteStores.scratch(AzuriteStores.newContainer("batch"));
        List<Location> targets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Location loc = (i % 5 == 0 ? other : root).resolve("d-" + (i % 7) + "/ünï " + i);
            if (i % 7 == 1) {
                store.write(loc, new byte[] {(byte) i}, PutMode.CREATE);
            }
            targets.add(loc);
        }
        List<DeleteResult> first = store.spi().delete(targets.subList(0, 256));
        assertThat(first).extracting(DeleteResult::location).containsExactlyElementsOf(targets.subList(0, 256));
        assertThat(first).allSatisfy(r -> assertThat(r.succeeded()).as(r.toString()).isTrue());
        List<DeleteResult> all = store.deleteBatch(targets);
        assertThat(all).extracting(DeleteResult::location).containsExactlyElementsOf(targets);
        assertThat(all).allSatisfy(r -> assertThat(r.succeeded()).as(r.toString()).isTrue());
        try (Stream<ObjectInfo> a = store.list(root); Stream<ObjectInfo> b = store.list(other)) {
            assertThat(a.count() + b.count()).isZero();
        }
    }

    @Test
    void retryBudgetComesFromTheMaxAttemptsSetting() {
        Location loc = scratch().resolve("retried");
        store.write(loc, new byte[] {1}, PutMode.CREATE);
        AtomicInteger tries = new AtomicInteger();
        Wire.Answer twoFailures = new Wire.Answer(r -> tries.incrementAndGet() <= 2, 500, "InternalError");
        try (AzureBlobObjectStore enough = AzureBlobObjectStore.builder()
                .config(AzuriteStores.config().with("azure.retry.maxAttempts", "3"))
                .clientCustomizer(b -> b.addPolicy(twoFailures)).build()) {
            assertThat(enough.stat(loc)).isPresent();
            assertThat(tries.get()).isEqualTo(3);
        }
        tries.set(0);
        try (AzureBlobObjectStore tooFew = AzureBlobObjectStore.builder()
                .config(AzuriteStores.config().with("azure.retry.maxAttempts", "2"))
                .clientCustomizer(b -> b.addPolicy(twoFailures)).build()) {
            assertThatThrownBy(() -> tooFew.stat(loc)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(loc.toString()).hasMessageContaining("InternalError")
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.TRANSIENT));
            assertThat(tries.get()).isEqualTo(2);
        }
    }

    @Test
    void storeBuiltFromAnExistingSdkClientWorks() {
        try (Store fromClient = Store.of(AzureBlobObjectStore.builder()
                .serviceClient(AzuriteStores.serviceClient()).build())) {
            Location loc = scratch().resolve("k");
            fromClient.write(loc, new byte[] {9}, PutMode.CREATE);
            assertThat(fromClient.copy(loc, loc.sibling("k2"), PutMode.CREATE).size()).isEqualTo(1);
            assertThat(fromClient.toString()).contains("caller-supplied client");
        }
    }

    @Test
    void providerIsFoundForTheAzureScheme() {
        assertThat(Store.provider(Scheme.AZURE)).isInstanceOf(AzureBlobObjectStoreProvider.class);
        Location loc = scratch().resolve("via-provider");
        try (Store opened = Store.open(loc, AzuriteStores.config())) {
            assertThat(opened.unwrap(AzureBlobObjectStore.class)).isPresent();
            opened.write(loc, new byte[] {1}, PutMode.CREATE);
            assertThat(opened.stat(loc)).isPresent();
        }
    }

    @Test
    void anHttpsLocationSuppliesTheAccountSoNoAccountSettingIsNeeded() {
        Location location = Location.parse("https://someaccount.blob.core.windows.net/data/ckpt");
        // Building a store sends no request, so an account nobody can reach shows where the account came from.
        try (Store opened = Store.open(location, StoreConfig.empty().with("azure.sasToken", "sv=2025-01-05&sig=x"))) {
            AzureBlobObjectStore azure = opened.unwrap(AzureBlobObjectStore.class).orElseThrow();
            assertThat(azure.account()).isEqualTo("someaccount");
            assertThat(azure.toString()).contains("endpoint=https://someaccount.blob.core.windows.net");
        }
        assertThatThrownBy(() -> Store.open(Location.parse("az://data/ckpt"), StoreConfig.empty()))
                .isInstanceOf(InvalidSettingException.class)
                .satisfies(e -> assertThat(((InvalidSettingException) e).key()).isEqualTo("azure.account"));
        assertThatThrownBy(() -> Store.open(location, StoreConfig.empty().with("azure.account", "another")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("someaccount");
        assertThatThrownBy(() -> Store.open(location, AzuriteStores.config()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining(AzuriteLauncher.ACCOUNT)
                .hasMessageContaining("someaccount");
    }

    @Test
    void configurationErrorsNameTheSetting() {
        StoreConfig base = AzuriteStores.config();
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.sasToken", "sv=x&sig=y")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("azure.connectionString").hasMessageContaining("azure.sasToken");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.retry.maxAttempts", "0")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("azure.retry.maxAttempts");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.syncCopyMaxBytes", "300000000")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("azure.syncCopyMaxBytes");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.timeout.operation", "soon")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("azure.timeout.operation");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.retry.maxDelay", "PT0.01S")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("azure.retry.maxDelay");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.account", "otheraccount")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining(AzuriteLauncher.ACCOUNT)
                .hasMessageContaining("otheraccount");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(StoreConfig.empty().with("azure.account", "acct1")
                .with("azure.endpoint", "ftp://example")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("azure.endpoint");
    }

    @Test
    void unknownAzureKeysAreRefusedNamingTheKey() {
        for (String key : List.of("azure.retry.maxTries", "azure.retry.tryTimeout", "azure.copy.timeout",
                "azure.endpiont")) {
            assertThatThrownBy(() -> AzureBlobObjectStore.open(AzuriteStores.config().with(key, "3")))
                    .as(key)
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining(key)
                    .hasMessageContaining("azure.retry.maxAttempts")
                    .satisfies(e -> assertThat(((InvalidSettingException) e).key()).isEqualTo(key))
                    .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind())
                            .isEqualTo(ErrorKind.INVALID_INPUT));
        }
        // Keys of other stores are theirs to check.
        try (AzureBlobObjectStore s = AzureBlobObjectStore.open(AzuriteStores.config().with("s3.region", "x"))) {
            assertThat(s.account()).isEqualTo(AzuriteLauncher.ACCOUNT);
        }
    }

    @Test
    void everySettingIsDeclaredWithADescription() {
        assertThat(AzureStoreSettings.SETTINGS).allSatisfy(s -> {
            assertThat(s.key()).startsWith("azure.");
            assertThat(s.description()).isNotBlank();
        });
        assertThat(AzureStoreSettings.SETTINGS).extracting(s -> s.key()).doesNotHaveDuplicates()
                .contains("azure.retry.maxAttempts", "azure.timeout.attempt", "azure.timeout.operation");
        assertThat(AzureStoreSettings.CONNECTION_STRING.secret()).isTrue();
        assertThat(AzureStoreSettings.SAS_TOKEN.secret()).isTrue();
    }
}
