package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.CheckpointFlowContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's {@link CheckpointFlowContract} on Azurite. */
class AzureCheckpointFlowTest extends CheckpointFlowContract {
    private static AzureBlobObjectStore store;
    private static Location container;

    @BeforeAll
    static void open() {
        store = AzuriteStores.open(Map.of());
        container = AzuriteStores.newContainer("flow");
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
