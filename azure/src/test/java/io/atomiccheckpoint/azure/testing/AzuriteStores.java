package io.atomiccheckpoint.azure.testing;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.atomiccheckpoint.azure.AzureBlobObjectStore;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Opens {@link AzureBlobObjectStore}s and creates containers on the shared {@link AzuriteLauncher} emulator, for
 * this module's tests and for suites that reuse them (integration tests, benchmarks); {@link #fixture()} is the
 * store as every contract sees it.
 */
public final class AzuriteStores {
    /** The name of the default fixture in test names and tables. */
    public static final String NAME = "azure (Azurite)";
    /**
     * What Azurite 3.37.0 lacks of the behaviours the contracts check: nothing. It enforces create-only and
     * pinned (source {@code If-Match}) copies on Copy Blob From URL and Start Copy, and {@code If-Match} on Put
     * Blob, Put Block List and Get Blob; {@code AzuriteConditionsTest} shows each. (It does not check copy-source
     * authorization, which no contract covers; {@code CopySourceAuthorizationTest} shows that gap.)
     */
    public static final Set<StoreUnderTest.EmulatorGap> GAPS = Set.of();

    private AzuriteStores() {
    }

    /** Settings that point a store at the emulator with the development account's connection string. */
    public static StoreConfig config() {
        return StoreConfig.of(Map.of(
                "azure.connectionString", AzuriteLauncher.shared().connectionString(),
                "azure.retry.delay", "PT0.05S",
                "azure.retry.maxDelay", "PT0.5S"));
    }

    /** {@link #config()} plus {@code overrides}. */
    public static StoreConfig config(Map<String, String> overrides) {
        StoreConfig config = config();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    /** A store on the emulator with {@link #config()} plus {@code overrides}; the caller closes it. */
    public static AzureBlobObjectStore open(Map<String, String> overrides) {
        return AzureBlobObjectStore.open(config(overrides));
    }

    /** An SDK client for setting up fixtures (containers) outside the store under test. */
    public static BlobServiceClient serviceClient() {
        return new BlobServiceClientBuilder().connectionString(AzuriteLauncher.shared().connectionString())
                .buildClient();
    }

    /** Creates a container with a fresh name starting with {@code purpose} and returns its root location. */
    public static Location newContainer(String purpose) {
        String name = purpose + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        serviceClient().createBlobContainer(name);
        return Location.parse("az://" + name);
    }

    /** A fresh prefix in {@code container}, for one test. */
    public static Location scratch(Location container) {
        return container.resolve("t-" + UUID.randomUUID());
    }

    /** The store with default settings on the emulator, shared by every test of this JVM. */
    public static StoreUnderTest fixture() {
        return Default.FIXTURE;
    }

    /**
     * Another store on the emulator, with {@code overrides} to the settings and its own container; opened on
     * first use and closed at JVM exit.
     */
    public static StoreUnderTest fixture(String name, Map<String, String> overrides) {
        return new Fixture(name, Map.copyOf(overrides));
    }

    private static final class Default {
        static final StoreUnderTest FIXTURE = new Fixture(NAME, Map.of());
    }

    /** Opens its store and container lazily, so naming a fixture starts nothing. */
    private static final class Fixture implements StoreUnderTest {
        private final String name;
        private final Map<String, String> overrides;
        private Store store;
        private Location container;

        Fixture(String name, Map<String, String> overrides) {
            this.name = name;
            this.overrides = overrides;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized Store store() {
            if (store == null) {
                Store opened = Store.of(open(overrides));
                Runtime.getRuntime().addShutdownHook(new Thread(opened::close, "azure-store-close"));
                store = opened;
            }
            return store;
        }

        @Override
        public Location newScratchLocation() {
            return scratch(container());
        }

        private synchronized Location container() {
            if (container == null) {
                container = newContainer("fixture");
            }
            return container;
        }

        @Override
        public StoreConfig config() {
            return AzuriteStores.config(overrides);
        }

        @Override
        public Set<EmulatorGap> gaps() {
            return GAPS;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
