package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpHeaders;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.WriteMode;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link ObjectStore} for Azure Blob Storage ({@code az://container/key} and
 * {@code https://<account>.blob.core.windows.net/container/key}), on the official {@code azure-storage-blob} SDK.
 * One store serves one storage account; it refuses locations of another scheme or another account.
 *
 * <p>Settings ({@link StoreConfig} keys):
 * <ul>
 *   <li>{@code azure.account}: the storage account name; needed unless the endpoint or connection string names it.
 *   <li>{@code azure.endpoint}: the Blob service URL; default {@code https://<account>.blob.core.windows.net}
 *       (for Azurite: {@code http://127.0.0.1:<port>/<account>}).
 *   <li>{@code azure.connectionString}: a connection string with an account key or SAS; a secret.
 *   <li>{@code azure.sasToken}: a SAS token (with or without the leading {@code ?}); a secret. Copies need it
 *       to grant read on the source containers, since the same token authorizes the copy source.
 *   <li>without either of those, {@code DefaultAzureCredential} (environment, workload or managed identity,
 *       Azure CLI, ...) authenticates; copy sources then get user-delegation SAS, which needs the
 *       {@code generateUserDelegationKey} permission (Storage Blob Data Contributor has it).
 *   <li>{@code azure.retry.maxTries} (default 4, counting the first try), {@code azure.retry.delay} (PT0.8S),
 *       {@code azure.retry.maxDelay} (PT30S), {@code azure.retry.tryTimeout} (PT5M): the SDK's exponential
 *       retry budget. Durations are ISO-8601 or milliseconds.
 *   <li>{@code azure.upload.singleMaxBytes} (8 MiB): larger writes are staged as blocks and committed with
 *       Put Block List; {@code azure.upload.blockBytes} (8 MiB) is the block size. One block per writing thread
 *       is held in memory.
 *   <li>{@code azure.syncCopyMaxBytes} (256 MiB, the service's maximum): sources up to this size use Copy Blob
 *       From URL; larger ones the asynchronous Copy Blob, polled every {@code azure.copy.pollInterval} (PT1S)
 *       for at most {@code azure.copy.timeout} (PT1H).
 * </ul>
 *
 * <p>Create-only writes and copies send {@code If-None-Match: *}; the service's 409 BlobAlreadyExists or 412
 * becomes {@link io.atomiccheckpoint.store.PreconditionFailedException}. With retries a create that succeeded
 * but whose response was lost is retried and then reported as lost: the commit protocol must tolerate that.
 * The ETag is the version; Content-MD5 (set by this store on every write, copied by the service) and a
 * whole-blob CRC64 where the service returns one are the checksums.
 *
 * <p>Copy sources are authorized by a SAS the store makes ({@link CopySourceAuthorizer}); Azurite does not
 * check copy-source authorization, so that part is verified only on real Azure.
 */
public final class AzureBlobObjectStore implements ObjectStore {
    private final BlobServiceClient service;
    private final BlobUploader uploader;
    private final ServerSideCopier copier;
    private final BatchDeleter deleter;
    private final AzureFailures failures;
    private final String credentialKind;

    private AzureBlobObjectStore(Builder b, BlobServiceClient service) {
        this.service = service;
        this.uploader = new BlobUploader(b.settings.upload);
        CopySourceAuthorizer authorizer = b.copySourceAuthorizer != null ? b.copySourceAuthorizer
                : b.settings.sasToken.isPresent() ? CopySourceAuthorizer.configuredSas(b.settings.sasToken.get())
                : CopySourceAuthorizer.forClient(service);
        this.copier = new ServerSideCopier(b.settings.copy, authorizer);
        this.deleter = new BatchDeleter(service);
        this.failures = new AzureFailures(new SecretRedactor(b.settings.secrets()));
        this.credentialKind = b.serviceClient != null ? "caller-supplied client"
                : b.settings.connectionString.isPresent() ? "connection string"
                : b.settings.sasToken.isPresent() ? "SAS token" : "DefaultAzureCredential";
    }

    /** Opens a store from {@code azure.*} settings. */
    public static AzureBlobObjectStore open(StoreConfig config) {
        return builder().config(config).build();
    }

    /** A builder, for callers that supply their own SDK client or adjust the SDK client builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The storage account every location must belong to. */
    public String account() {
        return service.getAccountName();
    }

    @Override
    public ListPage listPage(Location prefix, boolean delimited, String pageToken, int pageSize) {
        check("list", prefix, false);
        try {
            return BlobLister.page(service.getBlobContainerClient(prefix.bucket()), prefix, delimited, pageToken,
                    pageSize);
        } catch (RuntimeException e) {
            throw failures.translate("list", prefix, e, false);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        check("stat", location, true);
        try {
            return Optional.of(BlobObjectInfo.of(location.key(), blob(location).getProperties()));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404 && AzureFailures.isMissingBlob(e)) {
                return Optional.empty();
            }
            throw failures.translate("stat", location, e, false);
        } catch (RuntimeException e) {
            throw failures.translate("stat", location, e, false);
        }
    }

    @Override
    public InputStream read(Location location) {
        check("read", location, true);
        try {
            return blob(location).openInputStream();
        } catch (RuntimeException e) {
            throw failures.translate("read", location, e, false);
        }
    }

    @Override
    public ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
        check("write", location, true);
        Objects.requireNonNull(data, "data");
        boolean createOnly = mode == WriteMode.CREATE;
        try {
            return uploader.upload(blob(location).getBlockBlobClient(), location.key(), data, length, createOnly);
        } catch (RuntimeException e) {
            throw failures.translate("write", location, e, createOnly);
        }
    }

    @Override
    public ObjectInfo copy(Location source, Location target, WriteMode mode) {
        check("copy", source, true);
        check("copy", target, true);
        ObjectInfo sourceInfo = stat(source).orElseThrow(() -> new ObjectNotFoundException("copy", source, null));
        return copyChecked(source, sourceInfo, target, mode);
    }

    /**
     * One request for sources up to {@code azure.syncCopyMaxBytes}: the size that picks the copy operation comes
     * from {@code sourceInfo}, and the result from the copy's response (ETag, Last-Modified) and the source's
     * size and Content-MD5, which Copy Blob From URL carries over. Larger sources are read back after their
     * asynchronous copy.
     */
    @Override
    public ObjectInfo copy(Location source, ObjectInfo sourceInfo, Location target, WriteMode mode) {
        check("copy", source, true);
        check("copy", target, true);
        return copyChecked(source, sourceInfo, target, mode);
    }

    private ObjectInfo copyChecked(Location source, ObjectInfo sourceInfo, Location target, WriteMode mode) {
        boolean createOnly = mode == WriteMode.CREATE;
        Optional<HttpHeaders> response;
        try {
            response = copier.copy(blob(source), sourceInfo.size(), blob(target), createOnly);
        } catch (BlobStorageException e) {
            // The source was there a moment ago; a 404 now means it vanished, which names the source.
            throw failures.translate("copy", AzureFailures.isMissingBlob(e) ? source : target, e, createOnly);
        } catch (RuntimeException e) {
            throw failures.translate("copy", target, e, createOnly);
        }
        Optional<ObjectInfo> fromResponse = response.flatMap(h -> BlobObjectInfo.ofCopy(target.key(), sourceInfo, h));
        if (fromResponse.isPresent()) {
            return fromResponse.get();
        }
        return stat(target).orElseThrow(() -> new StoreException("copy", target,
                "the copy reported success but the target is not there"));
    }

    @Override
    public void delete(Location location) {
        check("delete", location, true);
        try {
            blob(location).deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (BlobStorageException e) {
            if (!AzureFailures.isMissingBlob(e)) {
                throw failures.translate("delete", location, e, false);
            }
        } catch (RuntimeException e) {
            throw failures.translate("delete", location, e, false);
        }
    }

    @Override
    public List<DeleteResult> deleteBatch(List<Location> locations) {
        for (Location loc : locations) {
            check("delete", loc, true);
        }
        try {
            return deleter.delete(locations);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failures.translate("batch delete of " + locations.size() + " blobs starting at", locations.get(0),
                    e, false);
        }
    }

    @Override
    public int maxDeleteBatchSize() {
        return BatchDeleter.MAX_BATCH;
    }

    /** The copy operation a source of {@code sizeBytes} takes; for tests and diagnostics. */
    ServerSideCopier.Path copyPathFor(long sizeBytes) {
        return copier.pathFor(sizeBytes);
    }

    /** Whether a write of {@code length} bytes is staged as blocks; for tests and diagnostics. */
    boolean writeIsStaged(long length) {
        return uploader.isStaged(length);
    }

    @Override
    public void close() {
        // The SDK's Netty resources are shared process-wide and released by the SDK itself.
    }

    @Override
    public String toString() {
        String url = service.getAccountUrl();
        int q = url.indexOf('?');
        return "AzureBlobObjectStore{account=" + service.getAccountName() + ", endpoint="
                + (q < 0 ? url : url.substring(0, q)) + ", credential=" + credentialKind + "}";
    }

    private BlobClient blob(Location location) {
        return service.getBlobContainerClient(location.bucket()).getBlobClient(location.key());
    }

    private void check(String operation, Location location, boolean needsBlob) {
        Objects.requireNonNull(location, "location");
        if (location.scheme() != Scheme.AZURE) {
            throw new IllegalArgumentException("cannot " + operation + " " + location + ": an Azure store serves only"
                    + " az:// and https://<account>.blob.core.windows.net/ locations");
        }
        String account = service.getAccountName();
        if (location.account().isPresent() && !location.account().get().equals(account)) {
            throw new IllegalArgumentException("cannot " + operation + " " + location + ": it names storage account '"
                    + location.account().get() + "' but this store serves account '" + account + "'");
        }
        if (needsBlob && location.isRoot()) {
            throw new IllegalArgumentException("cannot " + operation + " " + location
                    + ": it names a container, not a blob");
        }
    }

    /** Assembles a store; {@link #config(StoreConfig)} is required, the rest optional. */
    public static final class Builder {
        private AzureStoreSettings settings;
        private BlobServiceClient serviceClient;
        private Consumer<BlobServiceClientBuilder> clientCustomizer = b -> { };
        private CopySourceAuthorizer copySourceAuthorizer;

        private Builder() {
        }

        /** The {@code azure.*} settings; with {@link #serviceClient} only the non-credential ones apply. */
        public Builder config(StoreConfig config) {
            this.settings = new AzureStoreSettings(Objects.requireNonNull(config, "config"));
            return this;
        }

        /** Uses an already-built client instead of building one from the settings' credentials. */
        public Builder serviceClient(BlobServiceClient client) {
            this.serviceClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Adjusts the SDK client builder after the settings were applied, for example
         * {@code b -> b.addPolicy(faultInjector)}. Ignored with {@link #serviceClient}.
         */
        public Builder clientCustomizer(Consumer<BlobServiceClientBuilder> customizer) {
            this.clientCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Overrides how copy sources are authorized (default: chosen from the credential). */
        public Builder copySourceAuthorizer(CopySourceAuthorizer authorizer) {
            this.copySourceAuthorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        public AzureBlobObjectStore build() {
            if (settings == null) {
                if (serviceClient == null) {
                    throw new IllegalStateException("an Azure store needs config(StoreConfig) or serviceClient(...)");
                }
                settings = new AzureStoreSettings(StoreConfig.empty().with(AzureStoreSettings.ACCOUNT,
                        serviceClient.getAccountName()));
            }
            BlobServiceClient client = serviceClient != null ? serviceClient
                    : AzureClientFactory.build(settings, clientCustomizer);
            return new AzureBlobObjectStore(this, client);
        }
    }
}
