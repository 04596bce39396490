package io.atomiccheckpoint.store.fs;

import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/** Registers {@link FileSystemObjectStore} for {@code file:///} locations. */
public final class FileSystemObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.FILE;
    }

    @Override
    public ObjectStore open(StoreConfig config) {
        return new FileSystemObjectStore(config);
    }
}
