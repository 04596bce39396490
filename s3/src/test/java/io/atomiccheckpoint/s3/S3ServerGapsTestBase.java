package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * What the gap tests of the S3 servers share: a store on the server, with every request recorded, and its SDK
 * client, for showing the server's behaviour with plain SDK calls beside what the store makes of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class S3ServerGapsTestBase {
    /** An ETag no object here has. */
    static final String WRONG_ETAG = "\"0123456789abcdef0123456789abcdef\"";

    final RecordingInterceptor wire = new RecordingInterceptor();
    S3ObjectStore s3;
    Store store;
    S3AsyncClient client;

    /** Settings pointing at the server under test. */
    abstract StoreConfig serverConfig();

    /** A fresh location on the server under test. */
    abstract Location newScratchLocation();

    @BeforeAll
    void open() {
        s3 = S3ObjectStore.builder().config(serverConfig())
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build();
        store = Store.of(s3);
        client = s3.client();
    }

    @AfterAll
    void close() {
        store.close();
    }

    String put(Location loc, String text) {
        return client.putObject(r -> r.bucket(loc.bucket()).key(loc.key()), AsyncRequestBody.fromString(text)).join()
                .eTag();
    }

    String read(Location loc) throws IOException {
        try (InputStream in = store.read(loc)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The HTTP status a request ended with: 200 when it succeeded. */
    static int status(CompletableFuture<?> request) {
        Throwable failed = request.handle((ok, e) -> e).join();
        return failed == null ? 200 : S3Errors.status(failed);
    }

    CompletableFuture<?> createOnlyCopy(Location src, Location dst) {
        return client.copyObject(r -> r.sourceBucket(src.bucket()).sourceKey(src.key())
                .destinationBucket(dst.bucket()).destinationKey(dst.key()).ifNoneMatch("*"));
    }

    /**
     * Emulator gap {@code PINNED_DELETE_NOT_ENFORCED}: the server deletes an object whose {@code ETag} element in
     * DeleteObjects names another version. AWS S3 keeps it and reports a per-key PreconditionFailed. (Each
     * server's own gap test shows what it does with {@code If-Match} on a single DeleteObject.)
     */
    @Test
    void emulatorGapDeleteObjectsIgnoresTheETagOfEachObject() {
        Location root = newScratchLocation();
        Location batched = root.resolve("batched");
        put(batched, "live");
        client.deleteObjects(r -> r.bucket(root.bucket()).delete(d -> d.objects(ObjectIdentifier.builder()
                .key(batched.key()).eTag(WRONG_ETAG).build()))).join();
        assertThat(store.stat(batched)).isEmpty();
    }

    /** The HTTP status of a DeleteObject with {@code If-Match} naming another version; the object's fate is asserted by callers. */
    int deleteObjectIfMatchingAnotherVersion(Location object) {
        put(object, "live");
        return status(client.deleteObject(r -> r.bucket(object.bucket()).key(object.key()).ifMatch(WRONG_ETAG)));
    }

    /**
     * The probe sees the gap above, so the store offers no pinned deletes here and refuses one rather than drop
     * its condition. What it sends where the server is trusted ({@code s3.conditionalWrites=trust}, as for AWS):
     * each object of DeleteObjects names the ETag that was listed.
     */
    @Test
    void pinnedDeletesAreRefusedHereAndNameTheListedETagWhereTrusted() {
        Location root = newScratchLocation();
        Location object = root.resolve("pinned");
        ObjectInfo listed = store.write(object, "listed".getBytes(StandardCharsets.UTF_8), PutMode.CREATE);
        ObjectInfo live = store.write(object, "replaced".getBytes(StandardCharsets.UTF_8), PutMode.OVERWRITE);
        assertThat(live.version()).isNotEqualTo(listed.version());
        assertThat(store.supportsConditionalDelete(root)).isFalse();
        assertThatThrownBy(() -> store.deleteBatchIfUnchanged(List.of(ObjectVersion.listed(root, listed))))
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot pin a delete");
        RecordingInterceptor trustedWire = new RecordingInterceptor();
        try (Store trusted = Store.of(S3ObjectStore.builder().config(serverConfig().with("s3.conditionalWrites",
                "trust")).customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(trustedWire)))
                .build())) {
            assertThat(trusted.supportsConditionalDelete(root)).isTrue();
            trusted.deleteBatchIfUnchanged(List.of(ObjectVersion.listed(root, listed)));
        }
        assertThat(trustedWire.sent()).filteredOn(s -> s.deleteETags.containsKey(object.key()))
                .singleElement().satisfies(s -> assertThat(s.deleteETags.get(object.key()))
                        .isEqualTo("\"" + listed.version().orElseThrow() + "\""));
    }
}
