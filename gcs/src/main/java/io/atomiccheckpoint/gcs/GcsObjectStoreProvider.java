package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/** Registers {@link GcsObjectStore} for {@code gs://} locations with core's {@code ObjectStores}. */
public final class GcsObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.GCS;
    }

    @Override
    public ObjectStore open(StoreConfig config) {
        return GcsObjectStore.open(config);
    }
}
