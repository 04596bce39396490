package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.CheckpointFlowContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's {@code CheckpointFlowContract} on S3Mock, on the store itself (no writer races here): create, four
 * threads writing 200 objects, commit across several ListObjectsV2 pages (page size 50), deep validation,
 * listing, deletion of one checkpoint and clean-up of an abandoned temporary.
 */
class S3CheckpointFlowContractTest extends CheckpointFlowContract {
    private static S3ObjectStore store;

    @BeforeAll
    static void openStore() {
        store = S3MockStores.open();
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
        return S3MockStores.newScratchLocation();
    }
}
