package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Amazon S3 on LocalStack, run by the s3 module's launcher as a Python process on loopback: "s3 (LocalStack)".
 *
 * <p>The store's defaults, nothing forced: the probe finds that LocalStack answers a create-only CopyObject onto
 * an object with 412 but overwrites the target's bytes anyway, so create-only copies are multipart copies
 * completed with {@code If-None-Match: *}, which LocalStack refuses cleanly; every other condition it enforces.
 * It decides racing conditional writes atomically, so nothing here takes turns (unlike the S3Mock row): the races
 * are decided by the server, as on S3. Evidence for all of this is in the s3 module's {@code LocalStackGapsTest}.
 *
 * <p>Emulator gap: a ListObjectsV2 continuation token that points at a non-ASCII key fails with HTTP 500
 * ({@link EmulatorGap#LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS}); a listing never comes back short. A pinned
 * UploadPartCopy of a source replaced by a shorter object fails on its range (400), not its condition (412)
 * ({@link EmulatorGap#PINNED_PART_COPY_OF_REPLACED_SOURCE_FAILS_ON_RANGE}, {@code LocalStackGapsTest}).
 *
 * <p>Faults are injected as on S3Mock: a share of responses becomes 503 after the service acted
 * ({@link ServiceUnavailableAfterTheFact}).
 */
final class LocalStackFixture implements StoreFixture {
    private static final String FAKE_ACCESS_KEY = "AKIAFAKELSKEYNOPRINT";
    private static final String FAKE_SECRET = "fake/LocalStack+Secret/doNotPrint/01234567";

    private static final StoreConfig CONFIG = LocalStackStores.config();

    private final Store store = Store.of(LocalStackStores.open(CONFIG));

    @Override
    public String name() {
        return "s3 (LocalStack)";
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
        return LocalStackStores.newScratchLocation();
    }

    @Override
    public Set<EmulatorGap> gaps() {
        return Set.of(EmulatorGap.LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS,
                EmulatorGap.PINNED_PART_COPY_OF_REPLACED_SOURCE_FAILS_ON_RANGE);
    }

    @Override
    public String createOnlyMechanism() {
        return S3Mechanism.describe(store, newScratchLocation()) + "; racers not serialised";
    }

    @Override
    public Store storeWithFaults(double rate, Fault fault, long seed) {
        ExecutionInterceptor unavailable = new ServiceUnavailableAfterTheFact(rate, seed);
        return Store.of(S3ObjectStore.builder().config(CONFIG.with("s3.retry.maxAttempts", "6"))
                .customizeClient(b -> b.overrideConfiguration(c -> c.addExecutionInterceptor(unavailable)))
                .build());
    }

    @Override
    public List<Fault> supportedFaults() {
        return List.of(Fault.HTTP_503);
    }

    /** LocalStack accepts any credentials (it does not check signatures), so fake static ones reach it. */
    @Override
    public List<StoreConfig> fakeCredentialConfigs() {
        return List.of(LocalStackStores.config().with("s3.credentials", "static")
                .with("s3.accessKeyId", FAKE_ACCESS_KEY).with("s3.secretAccessKey", FAKE_SECRET)
                .with("s3.retry.maxAttempts", "1"));
    }

    @Override
    public List<String> fakeSecrets() {
        return List.of(FAKE_SECRET, FAKE_ACCESS_KEY);
    }
}
