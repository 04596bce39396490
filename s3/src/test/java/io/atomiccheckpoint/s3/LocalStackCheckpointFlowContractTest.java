package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.testkit.CheckpointFlowContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/** Core's {@code CheckpointFlowContract} on LocalStack with the store's defaults. */
class LocalStackCheckpointFlowContractTest extends CheckpointFlowContract {
    @Override
    protected StoreUnderTest subject() {
        return LocalStackStores.fixture();
    }
}
