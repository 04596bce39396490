package consumer;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem store, which every artifact brings through core. */
class FileSystemCheckpointTest {
    @Test
    void savesACheckpointOnTheFilesystem(@TempDir Path dir) throws Exception {
        RoundTrip.saveAndCheck(Location.of(dir).resolve("step_1"), StoreConfig.empty());
    }
}
