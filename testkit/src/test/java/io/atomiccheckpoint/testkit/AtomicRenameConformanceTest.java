package io.atomiccheckpoint.testkit;

import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.commit.AtomicRename;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;

/** Runs the protocol contract on the local-disk strategy, {@link AtomicRename}. */
class AtomicRenameConformanceTest extends TemporaryPathContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final FileSystemObjectStore store = new FileSystemObjectStore();
    private final Path dir;

    AtomicRenameConformanceTest() throws IOException {
        dir = Files.createTempDirectory("rename-contract");
    }

    @AfterAll
    void removeScratch() throws IOException {
        FileTrees.delete(dir);
    }

    @Override
    protected List<TemporaryPathFactory> strategies() {
        return List.of(new AtomicRename(store, settings()));
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected Location newScratchLocation() {
        return Location.of(dir).resolve("t" + COUNTER.incrementAndGet());
    }
}
