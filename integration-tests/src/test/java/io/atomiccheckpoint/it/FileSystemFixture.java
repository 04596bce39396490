package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded filesystem store. It has no HTTP layer, so faults are injected by {@link FaultyObjectStore}
 * around it, failing whole store operations instead.
 */
final class FileSystemFixture implements StoreFixture {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final FileSystemObjectStore store = new FileSystemObjectStore();
    private final Path root;

    FileSystemFixture() {
        try {
            root = Files.createTempDirectory("atomic-checkpoint-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public ObjectStore store() {
        return store;
    }

    @Override
    public StoreConfig childConfig() {
        return StoreConfig.empty();
    }

    @Override
    public Location newScratchLocation() {
        return Location.of(root).resolve("t" + COUNTER.incrementAndGet());
    }

    @Override
    public ObjectStore storeWithFaults(double rate, Fault fault, long seed) {
        return new FaultyObjectStore(new FileSystemObjectStore(), rate, seed);
    }

    @Override
    public List<StoreConfig> fakeCredentialConfigs() {
        return List.of();
    }

    @Override
    public List<String> fakeSecrets() {
        return List.of();
    }

    @Override
    public List<Fault> supportedFaults() {
        return List.of(Fault.HTTP_503);
    }
}
