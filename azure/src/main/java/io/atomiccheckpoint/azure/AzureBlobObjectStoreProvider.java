package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/** Registers {@link AzureBlobObjectStore} for {@code az://} and Azure {@code https://} locations. */
public final class AzureBlobObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.AZURE;
    }

    @Override
    public ObjectStore open(StoreConfig config) {
        return AzureBlobObjectStore.open(config);
    }
}
