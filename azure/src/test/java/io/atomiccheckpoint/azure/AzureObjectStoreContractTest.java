package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's store conformance kit on Azurite with default settings: single Put Blob writes, synchronous copies. */
class AzureObjectStoreContractTest extends ObjectStoreContract {
    private static AzureBlobObjectStore store;
    private static Location container;

    @BeforeAll
    static void open() {
        store = AzuriteStores.open(Map.of());
        container = AzuriteStores.newContainer("contract");
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected Location newScratchLocation() {
        return AzuriteStores.scratch(container);
    }
}
