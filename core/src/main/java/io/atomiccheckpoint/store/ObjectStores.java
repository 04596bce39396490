package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds the {@link ObjectStoreProvider} for a scheme on the classpath and opens a store with it. */
public final class ObjectStores {
    private ObjectStores() {
    }

    /** Opens a store for {@code location}'s scheme. */
    public static ObjectStore open(Location location, StoreConfig config) {
        return open(location.scheme(), config);
    }

    /** Opens a store for {@code scheme}. */
    public static ObjectStore open(Scheme scheme, StoreConfig config) {
        return provider(scheme).open(config);
    }

    /**
     * The single provider for {@code scheme}.
     *
     * @throws IllegalStateException naming the artifact to add when none is found, or the classes when
     *     several compete
     */
    public static ObjectStoreProvider provider(Scheme scheme) {
        List<ObjectStoreProvider> found = new ArrayList<>();
        for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class, ObjectStores.class.getClassLoader())) {
            if (p.scheme() == scheme) {
                found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no ObjectStore for " + scheme.uriScheme() + ":// locations on the classpath;"
                    + " add io.atomiccheckpoint:atomic-checkpoint-" + artifactSuffix(scheme));
        }
        if (found.size() > 1) {
            List<String> names = new ArrayList<>();
            found.forEach(p -> names.add(p.getClass().getName()));
            throw new IllegalStateException("several ObjectStore providers for " + scheme.uriScheme() + "://: " + names);
        }
        return found.get(0);
    }

    private static String artifactSuffix(Scheme scheme) {
        return scheme == Scheme.AZURE ? "azure" : scheme == Scheme.FILE ? "core" : scheme.uriScheme().toLowerCase(Locale.ROOT)
                .replace("gs", "gcs");
    }
}
