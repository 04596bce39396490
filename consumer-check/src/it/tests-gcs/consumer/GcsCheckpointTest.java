package consumer;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import org.junit.jupiter.api.Test;

/** GCS through fake-gcs-server, started on loopback by the gcs module's launcher. */
class GcsCheckpointTest {
    @Test
    void savesACheckpointOnTheGcsEmulator() throws Exception {
        FakeGcsStores.open().close(); // creates the emulator's bucket
        RoundTrip.saveAndCheck(FakeGcsStores.newScratchLocation().resolve("step_1"), FakeGcsStores.config());
    }
}
