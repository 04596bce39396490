package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.Set;

/**
 * The S3 store on the shared {@link LocalStackServer} as the test suites see it: {@link #store()} is the facade
 * over an {@link S3ObjectStore} opened once with {@link #config()} and the store's defaults (the probe decides
 * how create-only copies are made; nothing is forced), with nothing between the store and the server: LocalStack
 * decides concurrent conditional writes atomically ({@code LocalStackGapsTest}), so racing writers are not made to
 * take turns as on S3Mock. Every request the store sends is recorded by {@link #wire()}.
 *
 * <p>{@link #gaps()}, with the evidence in {@code LocalStackGapsTest}:
 * {@link StoreUnderTest.EmulatorGap#LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS} (a ListObjectsV2 continuation token that
 * points at a non-ASCII key fails with HTTP 500) and {@link StoreUnderTest.EmulatorGap#PINNED_DELETE_NOT_ENFORCED}
 * (the {@code ETag} of each object in DeleteObjects is ignored). Every other condition the contracts assert,
 * LocalStack enforces; its
 * other defect, a refused CopyObject that still overwrites the target's bytes, the probe detects, so create-only
 * copies are multipart copies here, which LocalStack refuses cleanly.
 */
public final class LocalStackFixture extends S3ServerFixture {
    /** A fixture named {@code name} whose store is opened, on first use, with {@code config}. */
    public LocalStackFixture(String name, StoreConfig config) {
        super(name, config);
    }

    @Override
    public Location newScratchLocation() {
        return LocalStackStores.newScratchLocation();
    }

    @Override
    public Set<EmulatorGap> gaps() {
        return Set.of(EmulatorGap.LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS, EmulatorGap.PINNED_DELETE_NOT_ENFORCED);
    }
}
