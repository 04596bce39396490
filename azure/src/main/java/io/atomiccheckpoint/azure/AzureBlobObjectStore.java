package io.atomiccheckpoint.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.TranslatingInputStream;
import io.atomiccheckpoint.spi.StoreCapabilities;
import io.atomiccheckpoint.spi.SupportsConditionalDelete;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The {@link ObjectStore} for Azure Blob Storage ({@code az://container/key} and
 * {@code https://<account>.blob.core.windows.net/container/key}), on the official {@code azure-storage-blob} SDK.
 * One store serves one storage account and refuses locations that name another. Settings are the
 * {@link AzureStoreSettings} constants; unknown {@code azure.*} keys are refused.
 *
 * <p>Every condition is enforced by the service in the request that writes or reads:
 * <ul>
 *   <li>{@link #put}: {@link PutMode#CREATE} sends {@code If-None-Match: *}, {@link PutMode#update}
 *       {@code If-Match: <etag>} (the ETag is the version), on the Put Blob or Put Block List that makes the
 *       blob visible; a refusal (409 BlobAlreadyExists, 412, or 404 for an update of a missing blob) is a
 *       {@link PreconditionFailedException}. {@link PutMode#OVERWRITE} has no condition: the caller asked to
 *       replace whatever is there.</li>
 *   <li>{@link #copy}: the source is pinned with {@code x-ms-source-if-match} on Copy Blob From URL and on Start
 *       Copy (see {@link ServerSideCopier}); a create-only destination sends {@code If-None-Match: *}.</li>
 *   <li>{@link #get}: an expected version sends {@code If-Match} on Get Blob; the stream's later chunks are
 *       locked to the ETag of the first, so a read never mixes two versions.</li>
 *   <li>{@link #delete}: unconditional; see {@link BatchDeleter}.</li>
 * </ul>
 * Every operation ends by {@code azure.timeout.operation} (passed to each SDK call as its timeout) and every
 * HTTP attempt by {@code azure.timeout.attempt}; failures are {@link StoreException}s whose kind comes from
 * {@link AzureFailures#TABLE}. Results are what the service answered: ETag, Last-Modified and the checksums of
 * the response; a synchronous copy's size is that of the source version the service enforced.
 *
 * <p>Copy sources are authorized by a SAS the store makes ({@link CopySourceAuthorizer}).
 */
public final class AzureBlobObjectStore implements ObjectStore, SupportsConditionalDelete {
    private static final StoreCapabilities CAPABILITIES = StoreCapabilities.full(Scheme.AZURE,
            BatchDeleter.MAX_BATCH, BlobLister.MAX_PAGE);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final BlobServiceClient service;
    private final AzureStoreSettings settings;
    private final BlobUploader uploader;
    private final ServerSideCopier copier;
    private final BatchDeleter deleter;
    private final AzureFailures failures;
    private final ExecutorService calls;
    private final String credentialKind;

    private AzureBlobObjectStore(Builder b, AzureStoreSettings settings, BlobServiceClient service) {
        this.service = service;
        this.settings = settings;
        this.failures = new AzureFailures(new SecretRedactor(settings.secrets()));
        // Threads for the few SDK calls that take no timeout (opening a read, starting an asynchronous copy), so
        // the caller can stop waiting for them at the deadline.
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "azure-store-call-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.uploader = new BlobUploader(settings.singleUploadMaxBytes, settings.blockBytes);
        CopySourceAuthorizer authorizer = b.copySourceAuthorizer != null ? b.copySourceAuthorizer
                : settings.sasToken.isPresent() ? CopySourceAuthorizer.configuredSas(settings.sasToken.get())
                : CopySourceAuthorizer.forClient(service);
        this.copier = new ServerSideCopier(settings.syncCopyMaxBytes, settings.copyPollInterval,
                settings.operationTimeout, authorizer, failures, calls);
        this.deleter = new BatchDeleter(service, failures);
        this.credentialKind = b.serviceClient != null ? "caller-supplied client"
                : settings.connectionString.isPresent() ? "connection string"
                : settings.sasToken.isPresent() ? "SAS token" : "DefaultAzureCredential";
    }

    /** Opens a store from {@code azure.*} settings. */
    public static AzureBlobObjectStore open(StoreConfig config) {
        return builder().config(config).build();
    }

    /** Opens a store for {@code location}, which supplies the account if it names one ({@code https://} form). */
    public static AzureBlobObjectStore open(Location location, StoreConfig config) {
        return builder().location(location).config(config).build();
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
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        Deadline deadline = start("list", prefix);
        try {
            return BlobLister.page(service.getBlobContainerClient(prefix.bucket()), prefix, delimited, pageToken,
                    pageSize, deadline);
        } catch (RuntimeException e) {
            throw failures.translate("list", prefix, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        Deadline deadline = start("stat", location);
        try {
            return Optional.of(BlobObjectInfo.of(location.key(),
                    blob(location).getPropertiesWithResponse(null, deadline.remaining(), Context.NONE).getValue()));
        } catch (RuntimeException e) {
            BlobStorageException answer = AzureFailures.serviceAnswer(e);
            if (answer != null && AzureFailures.isMissingBlob(answer)) {
                return Optional.empty();
            }
            throw failures.translate("stat", location, e);
        }
    }

    /**
     * Opens the object with Get Blob, carrying {@code If-Match} when a version is expected; reads nothing and
     * changes nothing. Reading past the end yields no bytes.
     */
    @Override
    public InputStream get(Location location, GetOptions options) {
        Deadline deadline = start("get", location);
        BlobRequestConditions conditions = new BlobRequestConditions();
        options.version().ifPresent(v -> conditions.setIfMatch(BlobObjectInfo.quote(v)));
        BlobClient blob = blob(location);
        try {
            if (options.length() == 0) {
                // An empty range cannot be asked of Get Blob; the properties request enforces the same condition.
                blob.getPropertiesWithResponse(conditions, deadline.remaining(), Context.NONE);
                return InputStream.nullInputStream();
            }
            BlobInputStreamOptions open = new BlobInputStreamOptions().setRequestConditions(conditions);
            if (options.isRange()) {
                open.setRange(new BlobRange(options.offset(), options.length() < 0 ? null : options.length()));
            }
            InputStream in = deadline.bound(calls, () -> blob.openInputStream(open, Context.NONE));
            // A version that changed between chunks is a PreconditionFailedException, by getFailure's table.
            return new TranslatingInputStream(in, e -> getFailure(location, options, e));
        } catch (RuntimeException e) {
            BlobStorageException answer = AzureFailures.serviceAnswer(e);
            if (answer != null && answer.getStatusCode() == 416) {
                return new ByteArrayInputStream(new byte[0]);
            }
            throw getFailure(location, options, e);
        }
    }

    private StoreException getFailure(Location location, GetOptions options, Throwable e) {
        StoreException failure = failures.translate("get", location, e);
        if (failure.kind() == ErrorKind.PRECONDITION_FAILED && options.expectedVersion() != null
                && !(failure instanceof ObjectNotFoundException)) {
            return new PreconditionFailedException("get", location, "the object is no longer version "
                    + options.expectedVersion(), failure.getCause());
        }
        return failure;
    }

    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        Deadline deadline = start("put", location);
        try {
            return uploader.upload(blob(location).getBlockBlobClient(), location, payload, mode, deadline);
        } catch (RuntimeException e) {
            StoreException failure = failures.translate("put", location, e);
            if (mode instanceof PutMode.Update && (failure.kind() == ErrorKind.PRECONDITION_FAILED
                    || failure instanceof ObjectNotFoundException)) {
                // A 404 for an update means the expected version is gone: the condition failed.
                String expected = ((PutMode.Update) mode).version();
                throw new PreconditionFailedException("put", location, "an update expected version " + expected
                        + (failure instanceof ObjectNotFoundException ? " but there is no object"
                                : " but the object is another version"), failure.getCause());
            }
            if (mode instanceof PutMode.Create && failure.kind() == ErrorKind.PRECONDITION_FAILED) {
                throw new PreconditionFailedException("put", location, failure.getCause());
            }
            throw failure;
        }
    }

    /** See {@link ServerSideCopier}: the source is pinned in the copy request, create-only targets too. */
    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        checkAccount("copy", source);
        Deadline deadline = start("copy", target);
        try {
            return copier.copy(blob(source), source, blob(target), target, options, deadline);
        } catch (RuntimeException e) {
            throw failures.translate("copy", target, e);
        }
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        if (locations.isEmpty()) {
            return List.of();
        }
        for (Location location : locations) {
            checkAccount("delete", location);
        }
        Deadline deadline = start("delete", locations.get(0));
        try {
            return deleter.delete(locations, deadline);
        } catch (RuntimeException e) {
            throw failures.translate("delete", locations.get(0), e);
        }
    }

    /** Always: the condition is checked where the store itself decides it. */
    @Override
    public boolean enforcesPinnedDeletes(Location location) {
        return true;
    }

    /** Each Delete Blob of the batch carries {@code If-Match: <listed ETag>}. */
    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        if (objects.isEmpty()) {
            return List.of();
        }
        for (ObjectVersion o : objects) {
            checkAccount("delete", o.location());
        }
        Deadline deadline = start("delete", objects.get(0).location());
        try {
            return deleter.deleteIfUnchanged(objects, deadline);
        } catch (RuntimeException e) {
            throw failures.translate("delete", objects.get(0).location(), e);
        }
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
        calls.shutdownNow();
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

    /**
     * The checks the facade cannot make (the account a location names), an interrupt that arrived before the
     * call, and the operation's deadline.
     */
    private Deadline start(String operation, Location location) {
        checkAccount(operation, location);
        if (Thread.currentThread().isInterrupted()) {
            throw new StoreException(ErrorKind.INTERRUPTED, operation, location, "interrupted before the request");
        }
        return Deadline.after(settings.operationTimeout, operation, location);
    }

    private void checkAccount(String operation, Location location) {
        String account = service.getAccountName();
        if (location.account().isPresent() && !location.account().get().equals(account)) {
            throw new StoreException(ErrorKind.INVALID_INPUT, operation, location, "it names storage account '"
                    + location.account().get() + "' but this store serves account '" + account + "'");
        }
    }

    /** Assembles a store; {@link #config(StoreConfig)} or {@link #serviceClient} is required, the rest optional. */
    public static final class Builder {
        private StoreConfig config;
        private Location location;
        private BlobServiceClient serviceClient;
        private Consumer<BlobServiceClientBuilder> clientCustomizer = b -> { };
        private CopySourceAuthorizer copySourceAuthorizer;

        private Builder() {
        }

        /** The {@code azure.*} settings; with {@link #serviceClient} only the non-credential ones apply. */
        public Builder config(StoreConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** A location the store will serve; an {@code https://} location supplies the account. */
        public Builder location(Location location) {
            this.location = Objects.requireNonNull(location, "location");
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
            if (config == null && serviceClient == null) {
                throw new IllegalStateException("an Azure store needs config(StoreConfig) or serviceClient(...)");
            }
            StoreConfig effective = config == null ? StoreConfig.empty() : config;
            if (serviceClient != null && effective.get(AzureStoreSettings.ACCOUNT.key()).isEmpty()) {
                effective = effective.with(AzureStoreSettings.ACCOUNT, serviceClient.getAccountName());
            }
            AzureStoreSettings settings = new AzureStoreSettings(effective, location);
            BlobServiceClient client = serviceClient != null ? serviceClient
                    : AzureClientFactory.build(settings, clientCustomizer);
            if (serviceClient != null && settings.account.isPresent()
                    && !settings.account.get().equals(client.getAccountName())) {
                throw new InvalidSettingException(AzureStoreSettings.ACCOUNT.key(), "is '"
                        + Messages.quote(settings.account.get()) + "' but the supplied client serves account '"
                        + Messages.quote(client.getAccountName()) + "'");
            }
            return new AzureBlobObjectStore(this, settings, client);
        }
    }
}
