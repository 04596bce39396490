package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.TemporaryPathContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's {@link TemporaryPathContract} on Azurite. */
class AzureTemporaryPathTest extends TemporaryPathContract {
    private static AzureBlobObjectStore store;
    private static Location container;

    @BeforeAll
    static void open() {
        store = AzuriteStores.open(Map.of());
        container = AzuriteStores.newContainer("temppath");
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
