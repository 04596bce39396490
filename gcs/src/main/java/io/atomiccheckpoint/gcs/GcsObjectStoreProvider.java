package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/**
 * Makes {@link GcsObjectStore} findable for {@code gs://} locations by
 * {@link io.atomiccheckpoint.store.Store#open}, through {@code META-INF/services}.
 */
public final class GcsObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.GCS;
    }

    /** Opens a store configured by the {@code gcs.*} settings; every location names its bucket, so none is kept. */
    @Override
    public ObjectStore open(Location location, StoreConfig config) {
        return GcsObjectStore.open(config);
    }
}
