package io.atomiccheckpoint.store.fs;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/** Registers {@link FileSystemObjectStore} for {@code file:///} locations. */
public final class FileSystemObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.FILE;
    }

    @Override
    public ObjectStore open(Location location, StoreConfig config) {
        return new FileSystemObjectStore(config);
    }
}
