package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stores the plug-in has opened, one per scheme, account and settings, shared by the JVM. Spark makes a
 * checkpoint manager for every metadata log and state store, often per micro-batch; opening a store each time
 * would build an SDK client (and, on S3, probe the bucket) each time. They stay open until the JVM exits.
 */
final class OpenStores {
    private record Key(String scheme, Optional<String> account, Map<String, String> settings) {
        /** Setting values may be secrets: printed by key only, as {@link StoreConfig} does. */
        @Override
        public String toString() {
            return "Key[" + scheme + ", " + account.orElse("-") + ", " + settings.keySet() + "]";
        }
    }

    private static final Map<Key, Store> STORES = new ConcurrentHashMap<>();

    private OpenStores() {
    }

    /** The store for {@code location} with {@code config}, opened on first use. */
    static Store forLocation(Location location, StoreConfig config) {
        Key key = new Key(location.scheme().uriScheme(), location.account(), config.asMap());
        return STORES.computeIfAbsent(key, k -> Store.open(location, config));
    }
}
