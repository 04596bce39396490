package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.atomiccheckpoint.azure.testing.AzuriteLauncher;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.ObjectStores;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Azure-specific behaviour of {@link AzureBlobObjectStore} on Azurite, beyond core's conformance kit. */
class AzureBlobObjectStoreTest {
    private static AzureBlobObjectStore store;
    private static Location container;

    @BeforeAll
    static void open() {
        store = AzuriteStores.open(Map.of());
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

    private static byte[] readAll(ObjectStore s, Location loc) {
        try (InputStream in = s.read(loc)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void secondCreateOnlyMarkerWriteFailsWithPreconditionOnTheStagedBlockPath() {
        try (AzureBlobObjectStore staged = AzuriteStores.open(Map.of(
                "azure.upload.singleMaxBytes", "1024", "azure.upload.blockBytes", "1024"))) {
            Location marker = scratch().resolve("commit_success.txt");
            byte[] first = random(5000, 1);
            assertThat(staged.writeIsStaged(first.length)).isTrue();
            staged.write(marker, first, WriteMode.CREATE);
            assertThatThrownBy(() -> staged.write(marker, random(5000, 2), WriteMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(marker.toString());
            assertThat(readAll(staged, marker)).isEqualTo(first);
        }
    }

    @Test
    void largeCopyTakesTheAsynchronousPathAndHonoursCreateOnly() throws Exception {
        try (AzureBlobObjectStore lowered = AzuriteStores.open(Map.of(
                "azure.syncCopyMaxBytes", String.valueOf(1024 * 1024), "azure.copy.pollInterval", "PT0.05S"))) {
            Location root = scratch();
            byte[] data = random(1536 * 1024, 3);
            Location src = root.resolve("tmp/big.bin");
            Location dst = root.resolve("final/big.bin");
            ObjectInfo source = lowered.write(src, data, WriteMode.CREATE);
            assertThat(lowered.copyPathFor(data.length)).isEqualTo(ServerSideCopier.Path.ASYNC_COPY);

            ObjectInfo copied = lowered.copy(src, dst, WriteMode.CREATE);

            assertThat(copied.size()).isEqualTo(data.length);
            assertThat(copied.checksums()).containsEntry("md5", md5(data));
            assertThat(copied.sameContentAs(source)).contains(true);
            assertThat(readAll(lowered, dst)).isEqualTo(data);
            lowered.write(src, new byte[] {1, 2, 3}, WriteMode.OVERWRITE);
            lowered.write(root.resolve("tmp/big2.bin"), data, WriteMode.CREATE);
            assertThatThrownBy(() -> lowered.copy(root.resolve("tmp/big2.bin"), dst, WriteMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(dst.toString());
            assertThat(lowered.stat(dst).orElseThrow().version()).isEqualTo(copied.version());
        }
    }

    @Test
    void smallCopyUsesCopyFromUrlAndKeepsTheChecksum() throws Exception {
        Location root = scratch();
        byte[] data = random(20_000, 4);
        store.write(root.resolve("a"), data, WriteMode.CREATE);
        assertThat(store.copyPathFor(data.length)).isEqualTo(ServerSideCopier.Path.SYNC_COPY_FROM_URL);
        ObjectInfo copied = store.copy(root.resolve("a"), root.resolve("b"), WriteMode.CREATE);
        assertThat(copied.checksums()).containsEntry("md5", md5(data));
        assertThatThrownBy(() -> store.copy(root.resolve("a"), root.resolve("b"), WriteMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class);
        store.write(root.resolve("c"), new byte[] {7}, WriteMode.CREATE);
        assertThat(store.copy(root.resolve("c"), root.resolve("b"), WriteMode.OVERWRITE).size()).isEqualTo(1);
    }

    @Test
    void copyGivenTheListedSourceSendsOneRequestAndReportsWhatStatWouldSee() throws Exception {
        Location root = scratch();
        byte[] data = random(30_000, 5);
        store.write(root.resolve("tmp/a"), data, WriteMode.CREATE);
        ObjectInfo listed;
        try (Stream<ObjectInfo> listing = store.list(root.resolve("tmp"))) {
            listed = listing.findFirst().orElseThrow();
        }
        RequestCount requests = new RequestCount();
        try (AzureBlobObjectStore counted = AzureBlobObjectStore.builder().config(AzuriteStores.config())
                .clientCustomizer(b -> b.addPolicy(requests)).build()) {
            ObjectInfo copied = counted.copy(root.resolve("tmp/a"), listed, root.resolve("final/a"), WriteMode.CREATE);
            assertThat(requests.sent).as("requests for one copy").containsExactly("PUT");
            ObjectInfo there = store.stat(root.resolve("final/a")).orElseThrow();
            assertThat(copied.key()).isEqualTo(there.key());
            assertThat(copied.size()).isEqualTo(there.size()).isEqualTo(data.length);
            assertThat(copied.version()).isEqualTo(there.version());
            assertThat(copied.checksums()).isEqualTo(there.checksums()).containsEntry("md5", md5(data));
            assertThat(copied.lastModified()).isEqualTo(there.lastModified());
        }
        assertThat(readAll(store, root.resolve("final/a"))).isEqualTo(data);
    }

    @Test
    void writesRecordEtagAndContentMd5ThatStatAndListingRepeat() throws Exception {
        try (AzureBlobObjectStore staged = AzuriteStores.open(Map.of(
                "azure.upload.singleMaxBytes", "4096", "azure.upload.blockBytes", "4096"))) {
            Location root = scratch();
            byte[] small = random(1000, 5);
            byte[] large = random(10_000, 6);
            ObjectInfo smallInfo = staged.write(root.resolve("small"), small, WriteMode.CREATE);
            ObjectInfo largeInfo = staged.write(root.resolve("large"), large, WriteMode.CREATE);
            assertThat(smallInfo.checksums()).containsEntry("md5", md5(small));
            assertThat(largeInfo.checksums()).containsEntry("md5", md5(large));
            for (ObjectInfo written : List.of(smallInfo, largeInfo)) {
                Location loc = root.sameBucket(written.key());
                ObjectInfo stat = staged.stat(loc).orElseThrow();
                assertThat(stat.version()).isPresent().isEqualTo(written.version());
                assertThat(stat.version().get()).doesNotStartWith("\"");
                assertThat(stat.checksums().get("md5")).isEqualTo(written.checksums().get("md5"));
            }
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
    void refusesLocationsOfAnotherScheme() {
        Location s3 = Location.parse("s3://some-bucket/key");
        assertThatThrownBy(() -> store.stat(s3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3://some-bucket/key").hasMessageContaining("only az://");
        assertThatThrownBy(() -> store.list(Location.parse("gs://some-bucket/p")).count())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesLocationsOfAnotherAccount() {
        Location other = Location.parse("https://someoneelse.blob.core.windows.net/" + container.bucket() + "/k");
        assertThatThrownBy(() -> store.write(other, new byte[1], WriteMode.CREATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("account 'someoneelse'")
                .hasMessageContaining("serves account '" + AzuriteLauncher.ACCOUNT + "'");
        assertThatThrownBy(() -> store.copy(container.resolve("a"), other, WriteMode.CREATE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTheHttpsFormForItsOwnAccount() {
        Location root = scratch();
        Location https = Location.parse("https://" + AzuriteLauncher.ACCOUNT + ".blob.core.windows.net/"
                + container.bucket() + "/" + root.key() + "/via%20https");
        store.write(https, "x".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
        assertThat(readAll(store, root.resolve("via https"))).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(store.account()).isEqualTo(AzuriteLauncher.ACCOUNT);
    }

    @Test
    void containerNamesAzureForbidsFailBeforeAnyRequest() {
        for (String bad : new String[] {"az://Upper/key", "az://ab/key", "az://double--dash/key", "az://-lead/key",
                "az://under_score/key", "az://" + "a".repeat(64) + "/key"}) {
            assertThatThrownBy(() -> Location.parse(bad)).as(bad).isInstanceOf(InvalidLocationException.class)
                    .hasMessageContaining("Azure container name");
        }
    }

    @Test
    void missingContainerIsReportedByName() {
        Location loc = Location.parse("az://no-such-container-here/key");
        assertThatThrownBy(() -> store.write(loc, new byte[1], WriteMode.CREATE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("container 'no-such-container-here' does not exist");
        assertThatThrownBy(() -> store.list(loc).count()).hasMessageContaining("does not exist");
    }

    @Test
    void rootOfAContainerIsNotABlob() {
        assertThatThrownBy(() -> store.write(container, new byte[1], WriteMode.CREATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names a container");
    }

    @Test
    void batchDeleteTakesTheFull256AcrossContainersAndRefusesMore() {
        assertThat(store.maxDeleteBatchSize()).isEqualTo(256);
        Location root = scratch();
        Location other = AzuriteStores.scratch(AzuriteStores.newContainer("batch"));
        List<Location> targets = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            Location loc = (i % 5 == 0 ? other : root).resolve("d-" + (i % 7) + "/ünï " + i);
            if (i % 17 != 0) {
                store.write(loc, new byte[] {(byte) i}, WriteMode.CREATE);
            }
            targets.add(loc);
        }
        List<DeleteResult> results = store.deleteBatch(targets);
        assertThat(results).extracting(DeleteResult::location).containsExactlyElementsOf(targets);
        assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.toString()).isTrue());
        try (Stream<ObjectInfo> a = store.list(root); Stream<ObjectInfo> b = store.list(other)) {
            assertThat(a.count() + b.count()).isZero();
        }
        targets.add(root.resolve("one-too-many"));
        assertThatThrownBy(() -> store.deleteBatch(targets)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 256");
    }

    @Test
    void retryBudgetComesFromConfiguration() {
        Location loc = scratch().resolve("retried");
        store.write(loc, new byte[] {1}, WriteMode.CREATE);
        FailFirstTries twoFailures = new FailFirstTries(2);
        try (AzureBlobObjectStore enough = AzureBlobObjectStore.builder()
                .config(AzuriteStores.config().with("azure.retry.maxTries", "3"))
                .clientCustomizer(b -> b.addPolicy(twoFailures)).build()) {
            assertThat(enough.stat(loc)).isPresent();
            assertThat(twoFailures.tries.get()).isEqualTo(3);
        }
        FailFirstTries againTwo = new FailFirstTries(2);
        try (AzureBlobObjectStore tooFew = AzureBlobObjectStore.builder()
                .config(AzuriteStores.config().with("azure.retry.maxTries", "2"))
                .clientCustomizer(b -> b.addPolicy(againTwo)).build()) {
            assertThatThrownBy(() -> tooFew.stat(loc)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(loc.toString()).hasMessageContaining("injected");
            assertThat(againTwo.tries.get()).isEqualTo(2);
        }
    }

    @Test
    void storeBuiltFromAnExistingSdkClientWorks() {
        try (AzureBlobObjectStore fromClient = AzureBlobObjectStore.builder()
                .serviceClient(AzuriteStores.serviceClient()).build()) {
            Location loc = scratch().resolve("k");
            fromClient.write(loc, new byte[] {9}, WriteMode.CREATE);
            assertThat(fromClient.copy(loc, loc.sibling("k2"), WriteMode.CREATE).size()).isEqualTo(1);
            assertThat(fromClient.toString()).contains("caller-supplied client");
        }
    }

    @Test
    void providerIsFoundForTheAzureScheme() {
        assertThat(ObjectStores.provider(Scheme.AZURE)).isInstanceOf(AzureBlobObjectStoreProvider.class);
        try (ObjectStore opened = ObjectStores.open(scratch(), AzuriteStores.config())) {
            assertThat(opened).isInstanceOf(AzureBlobObjectStore.class);
        }
    }

    @Test
    void configurationErrorsNameTheSetting() {
        assertThatThrownBy(() -> AzureBlobObjectStore.open(StoreConfig.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("azure.account");
        StoreConfig base = AzuriteStores.config();
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.sasToken", "sv=x&sig=y")))
                .hasMessageContaining("azure.connectionString").hasMessageContaining("azure.sasToken");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.retry.maxTries", "0")))
                .hasMessageContaining("azure.retry.maxTries");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.syncCopyMaxBytes", "300000000")))
                .hasMessageContaining("azure.syncCopyMaxBytes");
        assertThatThrownBy(() -> AzureBlobObjectStore.open(base.with("azure.account", "otheraccount")))
                .hasMessageContaining("azure.account").hasMessageContaining(AzuriteLauncher.ACCOUNT);
        assertThatThrownBy(() -> AzureBlobObjectStore.open(StoreConfig.empty().with("azure.account", "acct1")
                .with("azure.endpoint", "ftp://example")))
                .hasMessageContaining("azure.endpoint");
    }

    /** Fails the first {@code failures} tries of every request as a dropped connection would. */
    /** Records the HTTP method of every request the pipeline sends. */
    private static final class RequestCount implements HttpPipelinePolicy {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            sent.add(context.getHttpRequest().getHttpMethod().name());
            return next.process();
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            sent.add(context.getHttpRequest().getHttpMethod().name());
            return next.processSync();
        }
    }

    private static final class FailFirstTries implements HttpPipelinePolicy {
        final AtomicInteger tries = new AtomicInteger();
        private final int failures;

        FailFirstTries(int failures) {
            this.failures = failures;
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            if (tries.incrementAndGet() <= failures) {
                return Mono.error(new IOException("injected connection failure"));
            }
            return next.process();
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            if (tries.incrementAndGet() <= failures) {
                throw new UncheckedIOException(new IOException("injected connection failure"));
            }
            return next.processSync();
        }
    }
}
