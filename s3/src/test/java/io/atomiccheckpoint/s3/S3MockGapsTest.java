package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * What S3Mock 5.2.0 does differently from Amazon S3, each shown with plain SDK calls, and how the store copes.
 * The names state the gaps.
 */
class S3MockGapsTest {
    private static final RecordingInterceptor WIRE = new RecordingInterceptor();
    private static S3ObjectStore store;
    private static S3AsyncClient client;

    @BeforeAll
    static void open() {
        store = S3ObjectStore.builder().config(S3MockStores.config())
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(WIRE))).build();
        client = store.client();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static void put(Location loc, String text) {
        client.putObject(r -> r.bucket(loc.bucket()).key(loc.key()), AsyncRequestBody.fromString(text)).join();
    }

    private static String read(Location loc) throws IOException {
        try (InputStream in = store.read(loc)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void emulatorGapCopyObjectIgnoresIfNoneMatchAndOverwritesTheTarget() throws IOException {
        Location root = S3MockStores.newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        put(src, "new");
        put(dst, "committed");
        // Amazon S3 answers 412 here; S3Mock copies.
        client.copyObject(r -> r.sourceBucket(src.bucket()).sourceKey(src.key()).destinationBucket(dst.bucket())
                .destinationKey(dst.key()).ifNoneMatch("*")).join();
        assertThat(read(dst)).isEqualTo("new");
        // The probe notices, so the default store makes create-only copies a safe way.
        ConditionalWriteSupport support = store.conditionalWriteSupport(root);
        assertThat(support.probed()).isTrue();
        assertThat(support.putObject()).isTrue();
        assertThat(support.copyObject()).isFalse();
        assertThat(support.completeMultipartUpload()).isTrue();
    }

    /**
     * S3Mock cannot show CopyObject's refusal, so with {@code s3.createOnlyCopy=copy-object} (the request real S3
     * enforces) this checks our half: the CopyObject carries {@code If-None-Match: *}.
     */
    @Test
    void emulatorGapCopyObjectPreconditionSoOnlyTheHeaderIsCheckedInCopyObjectMode() {
        RecordingInterceptor wire = new RecordingInterceptor();
        try (S3ObjectStore copyObject = S3ObjectStore.builder()
                .config(S3MockStores.config().with("s3.createOnlyCopy", "copy-object"))
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build()) {
            Location root = S3MockStores.newScratchLocation();
            copyObject.write(root.resolve("src"), "x".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
            copyObject.copy(root.resolve("src"), root.resolve("dst"), WriteMode.CREATE);
            copyObject.copy(root.resolve("src"), root.resolve("other"), WriteMode.OVERWRITE);
            List<RecordingInterceptor.Sent> copies = wire.sent("CopyObject").stream()
                    .filter(s -> s.key.startsWith(root.key())).collect(java.util.stream.Collectors.toList());
            assertThat(copies).hasSize(2);
            assertThat(copies.get(0).ifNoneMatch).contains("*");
            assertThat(copies.get(1).ifNoneMatch).isEmpty();
            assertThat(wire.sent("UploadPartCopy")).filteredOn(s -> s.key.startsWith(root.key())).isEmpty();
        }
    }

    @Test
    void emulatorGapAbortMultipartUploadDeletesTheExistingObject() {
        Location loc = S3MockStores.newScratchLocation().resolve("committed");
        put(loc, "committed");
        String upload = client.createMultipartUpload(r -> r.bucket(loc.bucket()).key(loc.key())).join().uploadId();
        client.abortMultipartUpload(r -> r.bucket(loc.bucket()).key(loc.key()).uploadId(upload)).join();
        // Amazon S3 leaves the object alone; S3Mock deletes it.
        assertThat(store.stat(loc)).isEmpty();
        assertThat(store.conditionalWriteSupport(loc).abortKeepsExistingObject()).isFalse();
    }

    @Test
    void refusedCreateOnlyMultipartCopyLeavesTheWinnerInPlaceDespiteTheAbortGap() throws IOException {
        Location root = S3MockStores.newScratchLocation();
        store.write(root.resolve("src"), "new".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
        store.write(root.resolve("dst"), "committed".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
        WIRE.clear();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("dst"),
                WriteMode.CREATE)).isInstanceOf(io.atomiccheckpoint.store.PreconditionFailedException.class);
        assertThat(WIRE.sent("CompleteMultipartUpload")).singleElement()
                .satisfies(s -> assertThat(s.ifNoneMatch).contains("*"));
        assertThat(WIRE.sent("AbortMultipartUpload")).isEmpty();
        assertThat(read(root.resolve("dst"))).isEqualTo("committed");
    }

    /**
     * S3Mock checks the header and then writes, so concurrent create-only writers can both be told they won;
     * Amazon S3 decides atomically. Tests that race writers therefore go through
     * {@code SerializedCreateOnlyWrites}. Over 30 rounds of 8 writers some round has two winners (observed in
     * about half the rounds); if this ever fails, S3Mock became atomic and that wrapper can go.
     */
    @Test
    void emulatorGapConcurrentCreateOnlyPutsCanBothWin() {
        Location root = S3MockStores.newScratchLocation();
        int roundsWithSeveralWinners = 0;
        for (int round = 0; round < 30; round++) {
            Location loc = root.resolve("race-" + round);
            List<CompletableFuture<PutObjectResponse>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                writers.add(client.putObject(r -> r.bucket(loc.bucket()).key(loc.key()).ifNoneMatch("*"),
                        AsyncRequestBody.fromString("writer")));
            }
            int winners = 0;
            for (CompletableFuture<PutObjectResponse> w : writers) {
                winners += w.handle((ok, failed) -> failed == null ? 1 : 0).join();
            }
            assertThat(winners).isGreaterThanOrEqualTo(1);
            roundsWithSeveralWinners += winners > 1 ? 1 : 0;
        }
        assertThat(roundsWithSeveralWinners).isPositive();
    }
}
