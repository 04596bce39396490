package consumer;

import io.atomiccheckpoint.s3.testing.S3MockStores;
import org.junit.jupiter.api.Test;

/** S3 through S3Mock, started on loopback by the s3 module's launcher. */
class S3CheckpointTest {
    @Test
    void savesACheckpointOnTheS3Emulator() throws Exception {
        RoundTrip.saveAndCheck(S3MockStores.newScratchLocation().resolve("step_1"), S3MockStores.config());
    }
}
