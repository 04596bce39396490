package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Scheme;

/**
 * Creates {@link ObjectStore}s for one scheme. Each cloud artifact registers one in
 * {@code META-INF/services/io.atomiccheckpoint.store.ObjectStoreProvider}, so adding the artifact to the
 * classpath is all a user does; {@link ObjectStores} finds it.
 */
public interface ObjectStoreProvider {
    /** The scheme this provider serves. */
    Scheme scheme();

    /** Opens a store configured by {@code config}; the caller closes it. */
    ObjectStore open(StoreConfig config);
}
