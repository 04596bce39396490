package io.atomiccheckpoint.djl;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The listener's scenarios on S3 (S3Mock 5.2.0 on loopback, started by the s3 module's launcher): the listener
 * works on any store the facade opens, not only local ones.
 */
class S3MockEpochCheckpointTest extends EpochCheckpointScenarios {
    private static Store store;

    @BeforeAll
    static void open() {
        store = S3MockStores.open();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    Store store() {
        return store;
    }

    @Override
    Location newRoot() {
        return S3MockStores.newScratchLocation();
    }
}
