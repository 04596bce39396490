package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/**
 * Registers {@link AzureBlobObjectStore} for {@code az://} and Azure {@code https://} locations; an
 * {@code https://<account>.blob.core.windows.net/...} location supplies the account, so {@code azure.account}
 * is not needed with it.
 */
public final class AzureBlobObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.AZURE;
    }

    @Override
    public ObjectStore open(Location location, StoreConfig config) {
        return AzureBlobObjectStore.open(location, config);
    }
}
