package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens {@link S3ObjectStore}s against the shared {@link S3MockServer} and hands out fresh scratch locations in
 * a test bucket, for this module's tests and for the integration-tests module.
 */
public final class S3MockStores {
    /** The bucket every test writes into; the server creates it at start. */
    public static final String BUCKET = "atomic-checkpoint-test";
    /**
     * A bucket of its own for tests of scale: S3Mock's per-request cost grows with the number of objects in the
     * bucket, so thousands of objects are kept apart from the other tests'.
     */
    public static final String SCALE_BUCKET = "atomic-checkpoint-scale";

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong COUNTER = new AtomicLong();

    private S3MockStores() {
    }

    /** Settings pointing at the shared server: path-style, anonymous, a short retry budget. */
    public static StoreConfig config() {
        return config(S3MockServer.shared());
    }

    /** Settings pointing at {@code server}. */
    public static StoreConfig config(S3MockServer server) {
        return StoreConfig.empty()
                .with("s3.endpoint", server.endpoint())
                .with("s3.region", "us-east-1")
                .with("s3.pathStyle", "true")
                .with("s3.credentials", "anonymous")
                .with("s3.maxConcurrency", "32")
                .with("s3.retry.maxAttempts", "3");
    }

    /** A new store on the shared server with {@link #config()}; the caller closes it. */
    public static S3ObjectStore open() {
        return open(config());
    }

    /** A new store with {@code config}; the caller closes it. */
    public static S3ObjectStore open(StoreConfig config) {
        return S3ObjectStore.open(config);
    }

    /** A location no other call returns, below which a test may write. */
    public static Location newScratchLocation() {
        return newScratchLocation(BUCKET);
    }

    /** A location no other call returns in {@code bucket} ({@link #BUCKET} or {@link #SCALE_BUCKET}). */
    public static Location newScratchLocation(String bucket) {
        return Location.parse("s3://" + bucket + "/run-" + RUN + "/t" + COUNTER.incrementAndGet());
    }
}
