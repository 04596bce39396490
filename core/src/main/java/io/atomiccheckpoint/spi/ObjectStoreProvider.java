package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.StoreConfig;

/**
 * Creates {@link ObjectStore}s for one scheme. Each cloud artifact registers one in
 * {@code META-INF/services/io.atomiccheckpoint.spi.ObjectStoreProvider}, so adding the artifact to the classpath
 * is all a user does; {@link io.atomiccheckpoint.store.Store#open} finds it.
 */
public interface ObjectStoreProvider {
    /** The scheme this provider serves. */
    Scheme scheme();

    /**
     * Opens a store for {@code location} configured by {@code config}; the caller closes it. The location lets a
     * provider take what it names (an Azure account in an {@code https://} URL) without a setting.
     *
     * @throws io.atomiccheckpoint.store.InvalidSettingException for an unknown key under the store's prefix or a
     *     malformed value
     */
    ObjectStore open(Location location, StoreConfig config);
}
