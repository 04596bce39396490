package io.atomiccheckpoint.azure.testing;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.atomiccheckpoint.azure.AzureBlobObjectStore;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.Map;
import java.util.UUID;

/**
 * Opens {@link AzureBlobObjectStore}s and creates containers on the shared {@link AzuriteLauncher} emulator,
 * for this module's tests and for suites that reuse them (fault injection, integration tests).
 */
public final class AzuriteStores {
    private AzuriteStores() {
    }

    /** Settings that point a store at the emulator with the development account's connection string. */
    public static StoreConfig config() {
        return StoreConfig.of(Map.of(
                "azure.connectionString", AzuriteLauncher.shared().connectionString(),
                "azure.retry.delay", "PT0.05S",
                "azure.retry.maxDelay", "PT0.5S"));
    }

    /** A store on the emulator with {@link #config()} plus {@code overrides}. */
    public static AzureBlobObjectStore open(Map<String, String> overrides) {
        StoreConfig config = config();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return AzureBlobObjectStore.open(config);
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
}
