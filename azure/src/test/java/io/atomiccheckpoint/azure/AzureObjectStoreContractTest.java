package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/** Core's store conformance kit on Azurite with default settings: single Put Blob writes, synchronous copies. */
class AzureObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected StoreUnderTest subject() {
        return AzuriteStores.fixture();
    }
}
