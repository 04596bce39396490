package io.atomiccheckpoint.testkit;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Runs the checkpoint life-cycle contract on the embedded filesystem store. */
class FileSystemFlowConformanceTest extends CheckpointFlowContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final ObjectStore store = new FileSystemObjectStore();

    @TempDir
    Path dir;

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected Location newScratchLocation() {
        return Location.of(dir).resolve("t" + COUNTER.incrementAndGet());
    }
}
