package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3 store's own behaviour on S3Mock: what the SPI leaves to each store, beyond the conformance kit. */
class S3ObjectStoreTest {
    private static final RecordingInterceptor WIRE = new RecordingInterceptor();
    private static Store store;
    /**
     * CopyObject for create-only copies too: S3Mock handles about 60 requests a second on a loaded two-core
     * machine, and the multipart copy the probe would choose costs three requests per object instead of one.
     * S3Mock ignores If-None-Match on CopyObject, which the probe would see, and the unsafe opt-in would add a HEAD
     * per copy; so this store trusts the server without probing ({@code s3.conditionalWrites=trust}). It is for the
     * test of scale and of what is sent, not of the copy precondition (covered by the contract tests).
     */
    private static Store fastCopy;

    @BeforeAll
    static void open() {
        store = recording(S3MockStores.config(), WIRE);
        fastCopy = recording(S3MockStores.config().with("s3.createOnlyCopy", "copy-object")
                .with("s3.conditionalWrites", "trust"), WIRE);
    }

    @AfterAll
    static void close() {
        store.close();
        fastCopy.close();
    }

    private static Store recording(StoreConfig config, RecordingInterceptor wire) {
        return Store.of(S3ObjectStore.builder().config(config)
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readAll(Store s, Location loc, GetOptions options) throws IOException {
        try (InputStream in = s.read(loc, options)) {
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
        store.write(marker, bytes("first"), PutMode.CREATE);
        assertThatThrownBy(() -> store.write(marker, bytes("second"), PutMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(marker.toString());
        assertThat(WIRE.sent("PutObject", marker.key())).hasSize(2)
                .allSatisfy(s -> assertThat(s.header("If-None-Match")).contains("*"));
        assertThat(readAll(store, marker, GetOptions.whole())).isEqualTo(bytes("first"));
    }

    @Test
    void anUpdateSendsIfMatchWithTheQuotedEtagAndAnOverwriteSendsNoCondition() {
        Location loc = S3MockStores.newScratchLocation().resolve("lease");
        ObjectInfo first = store.write(loc, bytes("one"), PutMode.OVERWRITE);
        ObjectInfo second = store.write(loc, bytes("two"), PutMode.update(first.version().orElseThrow()));
        assertThatThrownBy(() -> store.write(loc, bytes("three"), PutMode.update(first.version().orElseThrow())))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("expected version " + first.version().get());
        List<RecordingInterceptor.Sent> puts = WIRE.sent("PutObject", loc.key());
        assertThat(puts).hasSize(3);
        assertThat(puts.get(0).header("If-Match")).isEmpty();
        assertThat(puts.get(0).header("If-None-Match")).isEmpty();
        assertThat(puts.get(1).header("If-Match")).contains("\"" + first.version().get() + "\"");
        assertThat(puts.get(2).header("If-Match")).contains("\"" + first.version().get() + "\"");
        assertThat(store.stat(loc).orElseThrow().version()).isEqualTo(second.version());
    }

    @Test
    void aVersionThatIsNoEtagIsRefusedBeforeAnyRequest() {
        Location loc = S3MockStores.newScratchLocation().resolve("obj");
        assertThatThrownBy(() -> store.write(loc, bytes("x"), PutMode.update("abc\"\r\nX-Injected: 1")))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThat(WIRE.sent("PutObject", loc.key())).isEmpty();
    }

    @Test
    void writesRecordTheEtagAndTheChecksumsS3Returns() {
        Location loc = S3MockStores.newScratchLocation().resolve("obj");
        byte[] data = bytes("checksummed content");
        ObjectInfo written = store.write(loc, data, PutMode.CREATE);
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
    void rangesAndPinnedReadsSendRangeAndIfMatch() throws IOException {
        Location loc = S3MockStores.newScratchLocation().resolve("obj");
        ObjectInfo written = store.write(loc, bytes("0123456789"), PutMode.CREATE);
        String etag = "\"" + written.version().orElseThrow() + "\"";
        assertThat(readAll(store, loc, new GetOptions(2, 3, written.version().get()))).isEqualTo(bytes("234"));
        assertThat(readAll(store, loc, GetOptions.range(7, -1))).isEqualTo(bytes("789"));
        assertThat(WIRE.sent("GetObject", loc.key())).extracting(s -> s.header("Range").orElse("-") + " "
                + s.header("If-Match").orElse("-")).containsExactly("bytes=2-4 " + etag, "bytes=7- -");
        // S3 refuses a range that starts at the end (416): that is an empty read, not an error.
        assertThat(readAll(store, loc, GetOptions.range(10, -1))).isEmpty();
        assertThat(readAll(store, loc, GetOptions.range(50, 5))).isEmpty();
        // HTTP cannot ask for no bytes: a HEAD checks the object and its version instead.
        assertThat(readAll(store, loc, new GetOptions(3, 0, written.version().get()))).isEmpty();
        assertThat(WIRE.sent("HeadObject", loc.key())).last()
                .satisfies(s -> assertThat(s.header("If-Match")).contains(etag));
        store.write(loc, bytes("changed"), PutMode.OVERWRITE);
        assertThatThrownBy(() -> store.read(loc, new GetOptions(3, 0, written.version().get())))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.read(loc, GetOptions.version(written.version().get())))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("no longer version");
    }

    /**
     * An unpinned copy must not report what the caller claimed: its result is a HEAD of the target. A pinned
     * copy reports the pinned version's size, which the service enforced; without a size, a HEAD of the source
     * gives it.
     */
    @Test
    void copyResultsAreObservedNeverEchoedFromTheInput() {
        Location root = S3MockStores.newScratchLocation();
        ObjectInfo source = fastCopy.write(root.resolve("src"), bytes("twelve bytes"), PutMode.CREATE);
        ObjectInfo unpinned = fastCopy.copy(root.resolve("src"), root.resolve("a"),
                new CopyOptions(PutMode.OVERWRITE, null, 999));
        assertThat(unpinned.size()).isEqualTo(12);
        assertThat(unpinned.version()).isEqualTo(fastCopy.stat(root.resolve("a")).orElseThrow().version());
        assertThat(WIRE.sent("HeadObject", root.resolve("a").key())).isNotEmpty();
        assertThat(WIRE.sent("HeadObject", root.resolve("src").key())).isEmpty();

        ObjectInfo pinned = fastCopy.copy(root.resolve("src"), root.resolve("b"),
                new CopyOptions(PutMode.CREATE, source.version().orElseThrow(), -1));
        assertThat(pinned.size()).isEqualTo(12);
        assertThat(WIRE.sent("HeadObject", root.resolve("src").key())).hasSize(1);
        assertThat(WIRE.sent("CopyObject", root.resolve("b").key())).singleElement().satisfies(s -> assertThat(
                s.header("x-amz-copy-source-if-match")).contains("\"" + source.version().get() + "\""));
        assertThat(WIRE.sent("HeadObject", root.resolve("b").key())).as("no HEAD of a pinned copy's target").isEmpty();
    }

    @Test
    void sixMibObjectCopiedWithAFiveMibMultipartThresholdArrivesIntactWithMatchingChecksum() throws IOException {
        RecordingInterceptor wire = new RecordingInterceptor();
        long fiveMib = 5L * 1024 * 1024;
        try (Store multipart = recording(S3MockStores.config()
                .with("s3.multipartCopyThresholdBytes", Long.toString(fiveMib))
                .with("s3.multipartCopyPartSizeBytes", Long.toString(fiveMib)), wire)) {
            Location root = S3MockStores.newScratchLocation();
            byte[] data = new byte[6 * 1024 * 1024];
            new Random(6).nextBytes(data);
            ObjectInfo source = multipart.write(root.resolve("src.bin"), data, PutMode.CREATE);
            assertThat(source.checksums()).containsEntry("crc32", crc32Base64(data));
            List<CopyOptions> ways = List.of(CopyOptions.of(PutMode.OVERWRITE), CopyOptions.of(PutMode.CREATE),
                    CopyOptions.pinnedTo(source, PutMode.CREATE));
            for (int i = 0; i < ways.size(); i++) {
                Location target = root.resolve("copy-" + i + ".bin");
                ObjectInfo copied = multipart.copy(root.resolve("src.bin"), target, ways.get(i));
                assertThat(wire.sent("UploadPartCopy", target.key())).as(ways.get(i).toString()).hasSize(2)
                        .allSatisfy(s -> assertThat(s.header("x-amz-copy-source-if-match"))
                                .contains("\"" + source.version().orElseThrow() + "\""));
                assertThat(wire.sent("CopyObject", target.key())).isEmpty();
                assertThat(copied.size()).isEqualTo(data.length);
                assertThat(copied.sameContentAs(source)).isNotEqualTo(java.util.Optional.of(false));
                byte[] back = readAll(multipart, target, GetOptions.whole());
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
        // The clean-up runs in the background; its deletes are counted once it is done.
        assertThat(result.cleanup().toCompletableFuture().get()).isEmpty();
        String temporaryPrefix = checkpoint.get().prefix();
        assertThat(WIRE.sent("ListObjectsV2")).as("pages listed during the commit").hasSizeGreaterThanOrEqualTo(3);
        assertThat(result.manifest().objectCount()).isEqualTo(objects);
        assertThat(WIRE.sent("DeleteObjects")).as("temporary deleted in batches of at most 1000").hasSizeGreaterThanOrEqualTo(3);
        // Counted per attempt: S3Mock under load makes the SDK retry a request now and then.
        // The marker is a copy too (of the manifest the lease holds), pinned like the others; counted apart.
        String marker = finalLocation.resolve(CommitSettings.DEFAULT_MARKER_NAME).key();
        assertThat(WIRE.sent("CopyObject", marker)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.header("x-amz-copy-source-if-match")).as("pinned").isPresent());
        List<RecordingInterceptor.Sent> copies = WIRE.sent("CopyObject", finalLocation.prefix()).stream()
                .filter(s -> !s.key.equals(marker)).collect(java.util.stream.Collectors.toList());
        assertThat(copies.stream().map(sent -> sent.key).distinct()).as("objects copied").hasSize(objects);
        assertThat(copies).as("one request per copied object, plus retries").hasSizeLessThan(objects + 25)
                .allSatisfy(s -> assertThat(s.header("x-amz-copy-source-if-match")).as("pinned").isPresent());
        assertThat(WIRE.sent("HeadObject")).as("no HEAD per object; the listing gives each source's size and ETag")
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

    /** The facade splits by the store's declared maximum; the store sends each batch as one DeleteObjects. */
    @Test
    void aDeleteAboveTheDeleteObjectsLimitIsSplitIntoRequestsOfAtMostTheLimit() {
        Location root = S3MockStores.newScratchLocation();
        List<Location> many = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            many.add(root.resolve("k" + i));
        }
        store.write(many.get(1000), bytes("x"), PutMode.CREATE);
        int before = WIRE.sent("DeleteObjects").size();
        List<DeleteResult> results = store.deleteBatch(many);
        assertThat(results).hasSize(1001).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
        assertThat(WIRE.sent("DeleteObjects").size() - before).isEqualTo(2);
        assertThat(store.maxDeleteBatchSize()).isEqualTo(1000);
        assertThat(store.stat(many.get(1000))).isEmpty();
    }

    @Test
    void locationsOfAnotherSchemeAreRefusedBeforeAnyRequest() {
        int before = WIRE.sent().size();
        Location gcs = Location.parse("gs://some-bucket/key");
        assertThatThrownBy(() -> store.write(gcs, bytes("x"), PutMode.CREATE))
                .isInstanceOf(StoreException.class).hasMessageContaining("s3:// locations only")
                .hasMessageContaining("gs://some-bucket/key");
        assertThatThrownBy(() -> store.list(Location.parse("file:///tmp/x")).count())
                .isInstanceOf(StoreException.class).hasMessageContaining("s3:// locations only");
        assertThat(WIRE.sent()).hasSize(before);
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

    /**
     * Counted by the server, so every attempt counts, including one that never reached the SDK's
     * {@code beforeTransmission} (which made the count against a closed port flaky): a local HTTP server answers
     * every request with 500 InternalError.
     */
    @Test
    void theRetryBudgetIsTheConfiguredNumberOfAttempts() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        byte[] error = bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
                + "<Message>try again</Message><RequestId>R</RequestId></Error>");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(500, error.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(error);
            }
        });
        ExecutorService handlers = Executors.newFixedThreadPool(2);
        server.setExecutor(handlers);
        server.start();
        StoreConfig config = S3MockStores.config().with("s3.endpoint", "http://127.0.0.1:" + server.getAddress().getPort())
                .with("s3.retry.maxAttempts", "3");
        try (Store failing = Store.of(S3ObjectStore.open(config))) {
            Location loc = Location.parse("s3://" + S3MockStores.BUCKET + "/nowhere");
            assertThatThrownBy(() -> failing.readBytes(loc)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(loc.toString()).hasMessageContaining("InternalError")
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.TRANSIENT));
            assertThat(requests.get()).isEqualTo(3);
        } finally {
            server.stop(0);
            handlers.shutdownNow();
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
        try (Store withSecrets = Store.open(Location.parse("s3://" + S3MockStores.BUCKET + "/x"), config)) {
            seen.append(withSecrets).append(withSecrets.unwrap(S3ObjectStore.class).orElseThrow().settings()).append('\n');
            Location root = S3MockStores.newScratchLocation();
            List<Runnable> attempts = List.of(
                    () -> withSecrets.write(root.resolve("a"), bytes("a"), PutMode.CREATE),
                    () -> withSecrets.write(root.resolve("a"), bytes("a"), PutMode.CREATE),
                    () -> withSecrets.read(root.resolve("missing")),
                    () -> withSecrets.copy(root.resolve("missing"), root.resolve("b"), PutMode.CREATE),
                    () -> withSecrets.write(Location.parse("s3://no-such-bucket-here/x"), bytes("x"), PutMode.OVERWRITE),
                    () -> withSecrets.write(root.resolve("a"), bytes("x"), PutMode.update("0123")),
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
            assertThat(failures).isGreaterThanOrEqualTo(5);
        }
        assertThat(seen.toString()).doesNotContain(keyId).doesNotContain(secret).doesNotContain(token);
    }

    @Test
    void aListingOfAMissingBucketIsNotFound() {
        assertThatThrownBy(() -> store.list(Location.parse("s3://no-such-bucket-here/x")).count())
                .isInstanceOf(AtomicCheckpointException.class)
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("NoSuchBucket");
    }
}
