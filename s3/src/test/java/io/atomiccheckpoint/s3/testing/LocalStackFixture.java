package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.Objects;
import java.util.Set;

/**
 * The S3 store on the shared {@link LocalStackServer} as the test suites see it: {@link #store()} is the facade
 * over an {@link S3ObjectStore} opened once with {@link #config()} and the store's defaults (the probe decides
 * how create-only copies are made; nothing is forced), with nothing between the store and the server: LocalStack
 * decides concurrent conditional writes atomically ({@code LocalStackGapsTest}), so racing writers are not made to
 * take turns as on S3Mock. Every request the store sends is recorded by {@link #wire()}.
 *
 * <p>{@link #gaps()}, with the evidence in {@code LocalStackGapsTest}: only
 * {@link StoreUnderTest.EmulatorGap#LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS} (a ListObjectsV2 continuation token that
 * points at a non-ASCII key fails with HTTP 500). Every condition the contracts assert, LocalStack enforces; its
 * other defect, a refused CopyObject that still overwrites the target's bytes, the probe detects, so create-only
 * copies are multipart copies here, which LocalStack refuses cleanly.
 */
public final class LocalStackFixture implements StoreUnderTest {
    private final String name;
    private final StoreConfig config;
    private final RecordingInterceptor wire = new RecordingInterceptor();
    private Store store;

    /** A fixture named {@code name} whose store is opened, on first use, with {@code config}. */
    public LocalStackFixture(String name, StoreConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return name;
    }

    /** Opened on first use and shared; closed when the JVM exits. */
    @Override
    public synchronized Store store() {
        if (store == null) {
            Store opened = Store.of(S3ObjectStore.builder().config(config)
                    .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build());
            Runtime.getRuntime().addShutdownHook(new Thread(opened::close, "close-" + name));
            store = opened;
        }
        return store;
    }

    /** The S3 store behind the facade. */
    public S3ObjectStore s3() {
        return store().unwrap(S3ObjectStore.class).orElseThrow();
    }

    /** Every request the store has sent. */
    public RecordingInterceptor wire() {
        return wire;
    }

    @Override
    public Location newScratchLocation() {
        return LocalStackStores.newScratchLocation();
    }

    @Override
    public StoreConfig config() {
        return config;
    }

    @Override
    public Set<EmulatorGap> gaps() {
        return Set.of(EmulatorGap.LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS);
    }

    @Override
    public String toString() {
        return name;
    }
}
