package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/** Registers {@link S3ObjectStore} for {@code s3://} locations with core's {@code ObjectStores}. */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.S3;
    }

    @Override
    public ObjectStore open(StoreConfig config) {
        return S3ObjectStore.open(config);
    }
}
