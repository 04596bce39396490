package consumer;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import org.junit.jupiter.api.Test;

/** Azure Blob Storage through Azurite, started on loopback by the azure module's launcher. */
class AzureCheckpointTest {
    @Test
    void savesACheckpointOnTheAzureEmulator() throws Exception {
        RoundTrip.saveAndCheck(AzuriteStores.scratch(AzuriteStores.newContainer("consumer")).resolve("step_1"),
                AzuriteStores.config());
    }
}
