package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit again with thresholds lowered so that every write above 64 KiB is staged as 1 MiB blocks
 * and every copy takes the asynchronous Copy Blob path with polling: both create-only paths get the full suite.
 */
class AzureStagedWritesAndAsyncCopyContractTest extends ObjectStoreContract {
    private static AzureBlobObjectStore store;
    private static Location container;

    @BeforeAll
    static void open() {
        store = AzuriteStores.open(Map.of(
                "azure.upload.singleMaxBytes", String.valueOf(64 * 1024),
                "azure.upload.blockBytes", String.valueOf(1024 * 1024),
                "azure.syncCopyMaxBytes", "0",
                "azure.copy.pollInterval", "PT0.05S"));
        container = AzuriteStores.newContainer("staged");
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

    @Test
    void thresholdsSendTheKitDownTheStagedAndAsynchronousPaths() {
        assertThat(store.writeIsStaged(largeObjectBytes())).isTrue();
        assertThat(store.writeIsStaged(100_000)).isTrue();
        assertThat(store.copyPathFor(1)).isEqualTo(ServerSideCopier.Path.ASYNC_COPY);
    }
}
