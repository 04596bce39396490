package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

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
}
