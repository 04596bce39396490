package io.atomiccheckpoint.gcs.testing;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.atomiccheckpoint.gcs.GcsObjectStore;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens {@link GcsObjectStore}s against the shared {@link FakeGcsServer} and hands out fresh scratch
 * locations in a test bucket, for this module's tests and for the integration-tests module.
 */
public final class FakeGcsStores {
    /** The bucket every test writes into. */
    public static final String BUCKET = "atomic-checkpoint-test";

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong COUNTER = new AtomicLong();
    private static boolean bucketCreated;

    private FakeGcsStores() {
    }

    /** Settings pointing at the shared emulator, without credentials, with a short retry budget. */
    public static StoreConfig config() {
        return StoreConfig.empty()
                .with("gcs.endpoint", FakeGcsServer.shared().endpoint())
                .with("gcs.project", "atomic-checkpoint-test")
                .with("gcs.credentials", "none")
                .with("gcs.retry.maxAttempts", "3")
                .with("gcs.retry.totalTimeout", "PT20S");
    }

    /** A new store on the shared emulator with {@link #config()}; the caller closes it. */
    public static GcsObjectStore open() {
        return open(config());
    }

    /** A new store on the shared emulator with {@code config}; the test bucket exists when it returns. */
    public static GcsObjectStore open(StoreConfig config) {
        GcsObjectStore store = GcsObjectStore.open(config);
        ensureBucket(store.client());
        return store;
    }

    /** Creates the test bucket once per JVM. */
    public static synchronized void ensureBucket(Storage client) {
        if (!bucketCreated) {
            if (client.get(BUCKET) == null) {
                client.create(BucketInfo.of(BUCKET));
            }
            bucketCreated = true;
        }
    }

    /** A location no other call returns, below which a test may write. */
    public static Location newScratchLocation() {
        return Location.parse("gs://" + BUCKET + "/run-" + RUN + "/t" + COUNTER.incrementAndGet());
    }
}
