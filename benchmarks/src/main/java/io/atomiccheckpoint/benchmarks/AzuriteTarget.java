package io.atomiccheckpoint.benchmarks;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.atomiccheckpoint.azure.AzureBlobObjectStore;
import io.atomiccheckpoint.azure.testing.AzuriteLauncher;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Azure Blob Storage on Azurite (started by the azure module's launcher). The raw copier is one synchronous
 * Copy Blob From URL per object with {@code If-None-Match: *}, the source authorised by a short SAS.
 */
final class AzuriteTarget implements StoreTarget {
    private static final int MAX_OBJECTS = 1000;

    private final AzuriteLauncher azurite = AzuriteLauncher.shared();
    private final Store setup = Store.of(AzuriteStores.open(Map.of()));
    private final Location container = AzuriteStores.newContainer("bench");

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public Store store() {
        return setup;
    }

    @Override
    public Location newScratchLocation() {
        return AzuriteStores.scratch(container);
    }

    @Override
    public StoreConfig config() {
        return AzuriteStores.config();
    }

    @Override
    public int emulatorPort() {
        return azurite.port();
    }

    @Override
    public java.util.OptionalInt hadoopFixedPort() {
        return java.util.OptionalInt.of(WasbRename.EMULATOR_PORT);
    }

    @Override
    public int maxObjects() {
        return MAX_OBJECTS;
    }

    @Override
    public Optional<String> limitReason() {
        return Optional.of("Azurite " + AzuriteLauncher.VERSION + " is the limit above " + MAX_OBJECTS + " objects:"
                + " in a full run on 2 cores one PrefixCopyCommit of 10 000 objects was still in its batch deletes"
                + " after 10 minutes, Azurite at 80-95% of a core throughout (its in-memory metadata store slows"
                + " with the number of blobs)");
    }

    @Override
    public Connection connect(int port, RequestCounts wire, boolean withHadoop) {
        String connectionString = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteLauncher.ACCOUNT
                + ";AccountKey=" + AzuriteLauncher.ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:" + port + "/"
                + AzuriteLauncher.ACCOUNT + ";";
        Store store = Store.of(AzureBlobObjectStore.builder()
                .config(AzuriteStores.config().with("azure.connectionString", connectionString))
                .clientCustomizer(b -> b.addPolicy(new AzureWireCounter(wire))).build());
        BlobContainerClient raw = new BlobServiceClientBuilder().connectionString(connectionString)
                .addPolicy(new AzureWireCounter(wire)).buildClient().getBlobContainerClient(container.bucket());
        Optional<HadoopRename> hadoop = withHadoop ? Optional.of(new WasbRename(container.bucket(), wire))
                : Optional.empty();
        return new Connection(store, (source, target) -> copy(raw, source, target), hadoop);
    }

    private static void copy(BlobContainerClient container, Location source, Location target) {
        BlobClient from = container.getBlobClient(source.key());
        String url = from.getBlobUrl() + "?" + from.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(1), new BlobSasPermission().setReadPermission(true)));
        container.getBlobClient(target.key()).copyFromUrlWithResponse(new BlobCopyFromUrlOptions(url)
                .setDestinationRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, Context.NONE);
    }

    @Override
    public void close() {
        setup.close();
    }
}
