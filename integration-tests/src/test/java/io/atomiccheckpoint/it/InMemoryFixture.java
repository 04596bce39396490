package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import io.atomiccheckpoint.testkit.Stores;
import java.util.List;

/**
 * The in-memory store, for the suite's in-process tests only ({@link Fixtures#inProcess()}): a child JVM cannot
 * reach it, so the kill and multi-host tests leave it out. It injects no faults here; its own fault hooks are for
 * core's unit tests.
 */
final class InMemoryFixture implements StoreFixture {
    private final StoreUnderTest base = Stores.memory();

    @Override
    public String name() {
        return "memory (in-process tests only)";
    }

    @Override
    public Store store() {
        return base.store();
    }

    @Override
    public StoreConfig config() {
        return base.config();
    }

    @Override
    public Location newScratchLocation() {
        return base.newScratchLocation();
    }

    @Override
    public String createOnlyMechanism() {
        return "check and write under the store's lock; racers not serialised";
    }

    @Override
    public Store storeWithFaults(double rate, Fault fault, long seed) {
        throw new UnsupportedOperationException("the in-memory row injects no faults");
    }

    @Override
    public List<Fault> supportedFaults() {
        return List.of();
    }

    @Override
    public List<StoreConfig> fakeCredentialConfigs() {
        return List.of();
    }

    @Override
    public List<String> fakeSecrets() {
        return List.of();
    }
}
