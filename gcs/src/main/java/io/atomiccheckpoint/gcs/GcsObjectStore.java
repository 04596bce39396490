package io.atomiccheckpoint.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.CopyRequest;
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
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@link ObjectStore} for Google Cloud Storage ({@code gs://bucket/key}), on the official
 * {@code google-cloud-storage} client over its JSON API.
 *
 * <p>Create-only writes and copies send {@code ifGenerationMatch=0}, so the service refuses them when the
 * target exists (412, reported as core's {@code PreconditionFailedException}). Copies are server-side
 * rewrites, repeated until the service reports them done. The version token of an {@link ObjectInfo} is the
 * object's generation and its checksums are the service's {@code crc32c} and {@code md5}; a reader can fetch
 * exactly the committed generation with {@link #read(Location, long)}.
 *
 * <p>Settings ({@link StoreConfig} keys):
 * <ul>
 *   <li>{@code gcs.endpoint}: service URL override, for emulators or private endpoints
 *       ({@code http://127.0.0.1:4443}). When absent, the {@code STORAGE_EMULATOR_HOST} environment variable is
 *       honoured (and implies {@code gcs.credentials=none}); otherwise the public endpoint is used.</li>
 *   <li>{@code gcs.project}: project id sent with requests; optional for object operations.</li>
 *   <li>{@code gcs.credentials}: {@code adc} (default: Application Default Credentials), {@code none}
 *       (emulators, public buckets) or {@code access-token}.</li>
 *   <li>{@code gcs.accessToken}: an OAuth2 access token to use instead of ADC; never printed.</li>
 *   <li>{@code gcs.retry.maxAttempts} (default 6, 1 = no retries), {@code gcs.retry.initialDelay} (PT1S),
 *       {@code gcs.retry.maxDelay} (PT32S), {@code gcs.retry.totalTimeout} (PT50S): the client's retry budget
 *       for retryable failures (429, 5xx, I/O errors) of idempotent calls; create-only calls count as
 *       idempotent because of their precondition.</li>
 *   <li>{@code gcs.deleteBatchSize} (1..100, default 100): objects per batch delete request.</li>
 *   <li>{@code gcs.resumableThreshold} (bytes, default 8 MiB): larger writes use a resumable upload; smaller
 *       ones are buffered and sent in one request.</li>
 *   <li>{@code gcs.uploadChunkSize} (bytes, multiple of 256 KiB, default 16 MiB): resumable upload chunk.</li>
 *   <li>{@code gcs.rewriteMegabytesPerCall} (optional): the most each rewrite call copies; by default the
 *       service chooses.</li>
 *   <li>{@code gcs.createOnlyCopy}: {@code rewrite} (default; server-side, GCS enforces the precondition) or
 *       {@code download-upload} (streams the source into a create-only upload; only for emulators such as
 *       fake-gcs-server, whose rewrite ignores {@code ifGenerationMatch}).</li>
 * </ul>
 * Unknown {@code gcs.*} keys are refused. Use {@link #builder()} to pass an already-built client or to
 * adjust the client options (for example a transport that injects faults).
 */
public final class GcsObjectStore implements ObjectStore {
    private final Storage storage;
    private final boolean ownsClient;
    private final GcsSettings settings;
    private final GcsUploads uploads;
    private final GcsBatchDeleter deleter;

    private GcsObjectStore(Storage storage, boolean ownsClient, GcsSettings settings) {
        this.storage = storage;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.uploads = new GcsUploads(storage, settings);
        this.deleter = new GcsBatchDeleter(storage, settings.deleteBatchSize());
    }

    /** Opens a store configured by {@code config}, with a client the store owns and closes. */
    public static GcsObjectStore open(StoreConfig config) {
        return builder().config(config).build();
    }

    /** A builder for stores that need an existing client or adjusted client options. */
    public static Builder builder() {
        return new Builder();
    }

    /** The SDK client this store uses. */
    public Storage client() {
        return storage;
    }

    /** The parsed settings. */
    public GcsSettings settings() {
        return settings;
    }

    @Override
    public ListPage listPage(Location prefix, boolean delimited, String pageToken, int pageSize) {
        requireGcs(prefix, "list");
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, was " + pageSize);
        }
        List<BlobListOption> options = new ArrayList<>(4);
        options.add(BlobListOption.prefix(prefix.prefix()));
        options.add(BlobListOption.pageSize(pageSize));
        if (pageToken != null) {
            options.add(BlobListOption.pageToken(pageToken));
        }
        if (delimited) {
            options.add(BlobListOption.delimiter("/"));
        }
        Page<Blob> page;
        try {
            page = storage.list(prefix.bucket(), options.toArray(new BlobListOption[0]));
        } catch (RuntimeException e) {
            throw GcsErrors.generic("list", prefix, e);
        }
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        for (Blob blob : page.getValues()) {
            if (blob.isDirectory()) {
                directories.add(blob.getName());
            } else {
                objects.add(GcsObjectInfos.of(blob));
            }
        }
        return new ListPage(objects, directories, page.getNextPageToken());
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        requireGcs(location, "stat");
        try {
            return Optional.ofNullable(storage.get(id(location))).map(GcsObjectInfos::of);
        } catch (RuntimeException e) {
            throw GcsErrors.generic("stat", location, e);
        }
    }

    /**
     * Opens the current generation of the object. The stream is pinned to that generation, so a concurrent
     * overwrite makes the read fail rather than mix two objects' bytes.
     */
    @Override
    public InputStream read(Location location) {
        requireGcs(location, "read");
        Blob blob;
        try {
            blob = storage.get(id(location));
        } catch (RuntimeException e) {
            throw GcsErrors.translate("read", location, e);
        }
        if (blob == null) {
            throw new ObjectNotFoundException("read", location, null);
        }
        return open(location, blob.getGeneration());
    }

    /**
     * Opens one generation of the object, for example the generation a checkpoint manifest recorded as its
     * version. On a bucket without object versioning only the live generation can be read; an older one
     * fails with {@link ObjectNotFoundException}.
     */
    public InputStream read(Location location, long generation) {
        requireGcs(location, "read");
        if (generation <= 0) {
            throw new IllegalArgumentException("a GCS generation is positive, was " + generation + " for " + location);
        }
        Blob blob;
        try {
            blob = storage.get(BlobId.of(location.bucket(), location.key(), generation));
        } catch (RuntimeException e) {
            throw GcsErrors.translate("read", location, e);
        }
        if (blob == null) {
            throw new ObjectNotFoundException("read", location, null);
        }
        return open(location, generation);
    }

    /** The generation recorded in {@code info}'s version token, as {@link #read(Location, long)} takes it. */
    public static long generationOf(ObjectInfo info) {
        String version = info.version().orElseThrow(
                () -> new IllegalArgumentException("no generation recorded for " + info.key()));
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version '" + version + "' of " + info.key()
                    + " is not a GCS generation", e);
        }
    }

    private InputStream open(Location location, long generation) {
        try {
            ReadChannel channel = storage.reader(BlobId.of(location.bucket(), location.key(), generation));
            return Channels.newInputStream(channel);
        } catch (RuntimeException e) {
            throw GcsErrors.translate("read", location, e);
        }
    }

    @Override
    public ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
        requireGcs(location, "write");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mode, "mode");
        return uploads.write(location, data, length, mode);
    }

    @Override
    public ObjectInfo copy(Location source, Location target, WriteMode mode) {
        requireGcs(source, "copy");
        requireGcs(target, "copy");
        if (!source.bucket().equals(target.bucket())) {
            throw new IllegalArgumentException("copy needs both locations in one bucket: " + source + " -> " + target);
        }
        if (mode == WriteMode.CREATE && settings.createOnlyCopy() == GcsSettings.CreateOnlyCopy.DOWNLOAD_UPLOAD) {
            return downloadUpload(source, target);
        }
        CopyRequest.Builder request = CopyRequest.newBuilder().setSource(id(source));
        if (mode == WriteMode.CREATE) {
            request.setTarget(id(target), BlobTargetOption.doesNotExist());
        } else {
            request.setTarget(id(target));
        }
        settings.rewriteMegabytesPerCall().ifPresent(request::setMegabytesCopiedPerChunk);
        try {
            CopyWriter rewrite = storage.copy(request.build());
            // Large or cross-location objects take several rewrite calls; each resumes with the returned token.
            while (!rewrite.isDone()) {
                rewrite.copyChunk();
            }
            return GcsObjectInfos.of(rewrite.getResult());
        } catch (RuntimeException e) {
            int code = GcsErrors.code(e);
            if (code == GcsErrors.NOT_FOUND) {
                throw new ObjectNotFoundException("copy", source, e);
            }
            throw GcsErrors.translate("copy", target, e);
        }
    }

    /** A create-only copy through this process, pinned to the source generation it read. */
    private ObjectInfo downloadUpload(Location source, Location target) {
        Blob blob;
        try {
            blob = storage.get(id(source));
        } catch (RuntimeException e) {
            throw GcsErrors.translate("copy", source, e);
        }
        if (blob == null) {
            throw new ObjectNotFoundException("copy", source, null);
        }
        try (InputStream in = open(source, blob.getGeneration())) {
            return uploads.write(target, in, blob.getSize(), WriteMode.CREATE);
        } catch (java.io.IOException e) {
            throw GcsErrors.translate("copy", source, e);
        }
    }

    @Override
    public void delete(Location location) {
        requireGcs(location, "delete");
        try {
            storage.delete(id(location)); // false means it was already gone, which is success
        } catch (RuntimeException e) {
            if (GcsErrors.code(e) != GcsErrors.NOT_FOUND) {
                throw GcsErrors.generic("delete", location, e);
            }
        }
    }

    @Override
    public List<DeleteResult> deleteBatch(List<Location> locations) {
        for (Location loc : locations) {
            requireGcs(loc, "deleteBatch");
        }
        return deleter.delete(locations);
    }

    /** {@code gcs.deleteBatchSize}; at most 100, the GCS batch limit. */
    @Override
    public int maxDeleteBatchSize() {
        return settings.deleteBatchSize();
    }

    @Override
    public void close() {
        if (!ownsClient) {
            return;
        }
        try {
            storage.close();
        } catch (Exception e) {
            throw new StoreException("close", null, GcsErrors.describe(e), e);
        }
    }

    @Override
    public String toString() {
        return "GcsObjectStore{" + settings + "}";
    }

    private static BlobId id(Location location) {
        return BlobId.of(location.bucket(), location.key());
    }

    /** Refuses other schemes before any request, so a mix-up cannot address a same-named bucket elsewhere. */
    private static void requireGcs(Location location, String operation) {
        Objects.requireNonNull(location, "location");
        if (location.scheme() != Scheme.GCS) {
            throw new IllegalArgumentException("GcsObjectStore." + operation + " handles gs:// locations only, got "
                    + location + " (scheme " + location.scheme() + ")");
        }
        if (location.isRoot() && !operation.equals("list")) {
            throw new IllegalArgumentException("GcsObjectStore." + operation + " needs an object key, got the bucket"
                    + " root " + location);
        }
    }

    /**
     * Builds a {@link GcsObjectStore}. Give either {@link #client} (an already-built client the caller keeps
     * and closes; the store's {@code gcs.retry.*}, endpoint and credential settings then do not apply) or let
     * the store build one from {@link #config}, optionally adjusting the options with {@link #customizeOptions}.
     */
    public static final class Builder {
        private StoreConfig config = StoreConfig.empty();
        private java.util.Map<String, String> environment = System.getenv();
        private Storage client;
        private UnaryOperator<HttpStorageOptions.Builder> customizer = UnaryOperator.identity();

        private Builder() {
        }

        /** The {@code gcs.*} settings. */
        public Builder config(StoreConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The environment consulted for {@code STORAGE_EMULATOR_HOST}; the process environment by default. */
        public Builder environment(java.util.Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Use this client instead of building one; the store will not close it. */
        public Builder client(Storage client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Adjusts the client options after the store applied its settings, for example to install an
         * {@code HttpTransportOptions} whose transport injects faults.
         */
        public Builder customizeOptions(UnaryOperator<HttpStorageOptions.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public GcsObjectStore build() {
            GcsSettings settings = GcsSettings.from(config, environment);
            if (client != null) {
                return new GcsObjectStore(client, false, settings);
            }
            return new GcsObjectStore(GcsClientFactory.create(settings, customizer), true, settings);
        }
    }
}
