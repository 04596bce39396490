package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.CheckpointFlowContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's {@code CheckpointFlowContract} on fake-gcs-server: create, four threads writing 200 objects, commit with
 * server-side rewrites across several listing pages (page size 50), deep validation, listing, deletion and
 * clean-up of temporaries.
 */
class GcsCheckpointFlowContractTest extends CheckpointFlowContract {
    private static GcsObjectStore store;

    @BeforeAll
    static void openStore() {
        store = FakeGcsStores.open();
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected Location newScratchLocation() {
        return FakeGcsStores.newScratchLocation();
    }
}
