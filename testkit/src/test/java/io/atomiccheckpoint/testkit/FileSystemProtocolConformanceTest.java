package io.atomiccheckpoint.testkit;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;

/** Runs the protocol contract on the embedded filesystem store. */
class FileSystemProtocolConformanceTest extends TemporaryPathContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final ObjectStore store = new FileSystemObjectStore();
    private final Path dir;

    FileSystemProtocolConformanceTest() throws IOException {
        dir = Files.createTempDirectory("protocol-contract");
    }

    @AfterAll
    void removeScratch() throws IOException {
        FileTrees.delete(dir);
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
