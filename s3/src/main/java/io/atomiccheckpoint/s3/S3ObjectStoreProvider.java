package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.ObjectStoreProvider;
import io.atomiccheckpoint.store.StoreConfig;

/**
 * Registers {@link S3ObjectStore} for {@code s3://} locations, so that
 * {@link io.atomiccheckpoint.store.Store#open} finds it when this artifact is on the classpath. An S3 location
 * names only a bucket and a key, which the store takes from each request, so the location is not needed to open
 * it.
 */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {
    @Override
    public Scheme scheme() {
        return Scheme.S3;
    }

    /**
     * @throws io.atomiccheckpoint.store.InvalidSettingException for an unknown {@code s3.*} key or a malformed
     *     value, naming the key
     */
    @Override
    public ObjectStore open(Location location, StoreConfig config) {
        return S3ObjectStore.open(config);
    }
}
