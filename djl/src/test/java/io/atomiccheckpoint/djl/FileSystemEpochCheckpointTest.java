package io.atomiccheckpoint.djl;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The listener's scenarios on the filesystem store, with a parameter file of several megabytes. */
class FileSystemEpochCheckpointTest extends EpochCheckpointScenarios {
    @TempDir
    Path storeDir;

    private Store store;

    @Override
    long parameterBytes() {
        return 6L * 1024 * 1024;
    }

    @Override
    Store store() {
        if (store == null) {
            store = Store.open(Location.of(storeDir), StoreConfig.empty());
        }
        return store;
    }

    @Override
    Location newRoot() {
        try {
            return Location.of(Files.createTempDirectory(storeDir, "run-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
