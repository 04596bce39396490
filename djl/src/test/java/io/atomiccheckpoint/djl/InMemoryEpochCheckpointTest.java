package io.atomiccheckpoint.djl;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import java.util.concurrent.atomic.AtomicInteger;

/** The listener's scenarios on the in-memory store. */
class InMemoryEpochCheckpointTest extends EpochCheckpointScenarios {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private final Store store = Store.of(new InMemoryObjectStore());

    @Override
    Store store() {
        return store;
    }

    @Override
    Location newRoot() {
        return Location.parse("mem://bucket/run-" + RUNS.incrementAndGet());
    }
}
