package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.testkit.CheckpointFlowContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/**
 * Core's {@code CheckpointFlowContract} on fake-gcs-server: four threads writing 200 objects, a commit with
 * server-side rewrites across several listing pages, deep validation, listing, deletion and clean-up.
 */
class GcsCheckpointFlowContractTest extends CheckpointFlowContract {
    @Override
    protected StoreUnderTest subject() {
        return FakeGcsStores.fixture();
    }
}
