package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.testkit.CheckpointFlowContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/** The {@link CheckpointFlowContract} on Azurite. */
class AzureCheckpointFlowTest extends CheckpointFlowContract {
    @Override
    protected StoreUnderTest subject() {
        return AzuriteStores.fixture();
    }
}
