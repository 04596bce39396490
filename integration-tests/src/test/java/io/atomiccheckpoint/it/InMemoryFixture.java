package io.atomiccheckpoint.it;

import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.testkit.Stores;
import java.util.List;

/**
 * The in-memory store, for the suite's in-process tests only ({@link Fixtures#inProcess()}): a child JVM cannot
 * reach it, so the kill and multi-host tests leave it out. It injects no faults here; its own fault hooks are for
 * core's unit tests.
 */
final class InMemoryFixture extends CoreStoreFixture {
    InMemoryFixture() {
        super(Stores.memory());
    }

    @Override
    public String name() {
        return "memory (in-process tests only)";
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
}
