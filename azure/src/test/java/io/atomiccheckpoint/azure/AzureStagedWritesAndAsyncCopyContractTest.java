package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit again with thresholds lowered so that every write above 64 KiB is staged as 1 MiB blocks
 * and every copy takes the asynchronous Copy Blob path with polling: both write paths and both copy paths get
 * the full suite, conditions included.
 */
class AzureStagedWritesAndAsyncCopyContractTest extends ObjectStoreContract {
    private static final StoreUnderTest STAGED = AzuriteStores.fixture("azure (Azurite, staged writes, async copies)",
            Map.of("azure.upload.singleMaxBytes", String.valueOf(64 * 1024),
                    "azure.upload.blockBytes", String.valueOf(1024 * 1024),
                    "azure.syncCopyMaxBytes", "0",
                    "azure.copy.pollInterval", "PT0.05S"));

    @Override
    protected StoreUnderTest subject() {
        return STAGED;
    }

    @Test
    void thresholdsSendTheKitDownTheStagedAndAsynchronousPaths() {
        AzureBlobObjectStore store = store().unwrap(AzureBlobObjectStore.class).orElseThrow();
        assertThat(store.writeIsStaged(largeObjectBytes())).isTrue();
        assertThat(store.writeIsStaged(100_000)).isTrue();
        assertThat(store.copyPathFor(1)).isEqualTo(ServerSideCopier.Path.ASYNC_COPY);
    }
}
