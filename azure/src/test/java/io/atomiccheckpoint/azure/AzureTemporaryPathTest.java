package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.testkit.TemporaryPathContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/** The {@link TemporaryPathContract} on Azurite. */
class AzureTemporaryPathTest extends TemporaryPathContract {
    @Override
    protected StoreUnderTest subject() {
        return AzuriteStores.fixture();
    }
}
