package io.atomiccheckpoint.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.CopyRequest;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.StoreCapabilities;
import io.atomiccheckpoint.spi.SupportsBatchCopy;
import io.atomiccheckpoint.spi.SupportsConditionalDelete;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@link ObjectStore} for Google Cloud Storage ({@code gs://bucket/key}), on the official
 * {@code google-cloud-storage} client over its JSON API. Users reach it through the
 * {@link io.atomiccheckpoint.store.Store} facade, which checks schemes, roots, page and batch sizes before a call
 * gets here.
 *
 * <p>An object's version is its generation, its checksums are the service's {@code crc32c} and {@code md5}, and
 * every result is built from the service's response. Conditions travel in the request that they guard:
 * <table>
 *   <caption>Preconditions sent</caption>
 *   <tr><th>call</th><th>request</th><th>condition</th></tr>
 *   <tr><td>{@code put} {@link PutMode#CREATE}</td><td>upload</td><td>{@code ifGenerationMatch=0}</td></tr>
 *   <tr><td>{@code put} {@link PutMode#update}</td><td>upload</td><td>{@code ifGenerationMatch=<version>}</td></tr>
 *   <tr><td>{@code copy} to {@link PutMode#CREATE}</td><td>rewrite</td><td>{@code ifGenerationMatch=0}</td></tr>
 *   <tr><td>{@code copy} pinned</td><td>rewrite</td><td>{@code ifSourceGenerationMatch=<version>}</td></tr>
 *   <tr><td>{@code copyBatch}</td><td>JSON batch of rewrites</td><td>each rewrite as {@code copy} sends it</td></tr>
 *   <tr><td>{@code get} with a version</td><td>metadata, media</td><td>{@code ifGenerationMatch=<version>},
 *       then {@code generation=<version>}</td></tr>
 * </table>
 * A refused condition (412, or 404 for an update of an object that is gone) is a
 * {@link PreconditionFailedException}; every other failure is a {@link StoreException} whose kind comes from
 * {@link GcsErrors}'s table. Reads are pinned to the generation their metadata request saw, so a concurrent
 * replacement fails the read instead of mixing two objects' bytes.
 *
 * <p>Settings are the {@code gcs.*} keys of {@link GcsSettings}; {@code gcs.timeout.operation} bounds every
 * operation (the SDK's total retry timeout, and a check before each further request of an operation), and
 * {@code gcs.timeout.attempt} bounds each request's connect and read waits. Use {@link #builder()} to pass an
 * already-built client or to adjust the client options (for example a transport that injects faults).
 */
public final class GcsObjectStore implements ObjectStore, SupportsConditionalDelete, SupportsBatchCopy {
    private final Storage storage;
    private final boolean ownsClient;
    private final GcsSettings settings;
    private final StoreCapabilities capabilities;
    private final GcsUploads uploads;
    private final GcsBatchDeleter deleter;
    private final Optional<GcsBatchCopier> batchCopier;

    private GcsObjectStore(Storage storage, boolean ownsClient, GcsSettings settings) {
        this.storage = storage;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.capabilities = StoreCapabilities.full(Scheme.GCS, settings.deleteBatchSize(), GcsSettings.MAX_LIST_PAGE);
        this.uploads = new GcsUploads(storage, settings);
        this.deleter = new GcsBatchDeleter(storage);
        this.batchCopier = GcsBatchCopier.forClient(storage, settings);
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

    /** {@code gs://} locations, {@code gcs.deleteBatchSize} (at most 100) per delete, 1000 per page, every condition. */
    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        before("list", prefix);
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
            throw GcsErrors.translate("list", prefix, e);
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
        before("stat", location);
        try {
            return Optional.ofNullable(storage.get(id(location))).map(GcsObjectInfos::of);
        } catch (RuntimeException e) {
            throw GcsErrors.translate("stat", location, e);
        }
    }

    /**
     * Opens the object, or a range of it. One metadata request finds the generation (with
     * {@code ifGenerationMatch} when a version is expected, so GCS refuses another generation with 412); the media
     * requests then name that generation, so the stream holds that generation's bytes or fails with an
     * {@link IOException} whose cause is a {@link PreconditionFailedException} if it was replaced meanwhile.
     */
    @Override
    public InputStream get(Location location, GetOptions options) {
        before("get", location);
        Deadline deadline = Deadline.start(settings.operationTimeout());
        Blob blob = current("get", location, location, options.expectedVersion());
        long size = blob.getSize() == null ? 0 : blob.getSize();
        long from = Math.min(options.offset(), size);
        long to = options.length() < 0 ? size : Math.min(size, from + options.length());
        if (to <= from) {
            // Nothing to read: the metadata of this very generation says so, and GCS answers 416 to such ranges.
            return InputStream.nullInputStream();
        }
        deadline.check("get", location);
        return openGeneration("get", location, blob.getGeneration(), from, to);
    }

    /**
     * The object's metadata, with {@code ifGenerationMatch=<expected>} if a version is expected. The answer is
     * checked too: a response for another generation means the condition did not hold in that request (an
     * emulator that ignores the parameter answers so), and the media requests read only the expected generation.
     *
     * @param reportAt the location a refused condition is reported at (the target, for copies)
     */
    private Blob current(String operation, Location location, Location reportAt, String expected) {
        Long generation = expected == null ? null : parseGeneration(operation, location, expected);
        Blob blob;
        try {
            blob = generation == null ? storage.get(id(location))
                    : storage.get(id(location), BlobGetOption.generationMatch(generation));
        } catch (RuntimeException e) {
            if (generation != null && GcsErrors.code(e) == GcsErrors.PRECONDITION_FAILED) {
                throw notVersion(operation, location, reportAt, expected, "another generation", e);
            }
            throw GcsErrors.translate(operation, location, e);
        }
        if (blob == null) {
            throw new ObjectNotFoundException(operation, location, null);
        }
        if (generation != null && !generation.equals(blob.getGeneration())) {
            throw notVersion(operation, location, reportAt, expected, "generation " + blob.getGeneration(), null);
        }
        return blob;
    }

    private static PreconditionFailedException notVersion(String operation, Location location, Location reportAt,
            String expected, String now, Throwable cause) {
        String what = location.equals(reportAt) ? "the object" : "the source " + location;
        return new PreconditionFailedException(operation, reportAt, what + " is no longer version " + expected
                + " (now " + now + ")", cause);
    }

    /** A stream over bytes {@code from} to {@code to} of one generation; its failures carry a StoreException. */
    private InputStream openGeneration(String operation, Location location, long generation, long from, long to) {
        ReadChannel channel;
        try {
            channel = storage.reader(BlobId.of(location.bucket(), location.key(), generation));
            channel.seek(from);
            channel.limit(to);
        } catch (IOException | RuntimeException e) {
            throw GcsErrors.translate(operation, location, e);
        }
        return new GenerationStream(operation, location, generation, channel, to - from);
    }

    /**
     * Writes the payload with the mode's precondition in the upload request itself ({@code ifGenerationMatch=0}
     * for {@link PutMode#CREATE}, {@code ifGenerationMatch=<version>} for {@link PutMode#update}); see
     * {@link GcsUploads}. An {@link PutMode#OVERWRITE} carries none: it may replace whatever is there.
     */
    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        before("put", location);
        return uploads.write("put", location, payload, mode, Deadline.start(settings.operationTimeout()));
    }

    /**
     * Copies with a server-side rewrite whose request carries the conditions: {@code ifGenerationMatch=0} on the
     * target for a {@link PutMode#CREATE} destination, {@code ifSourceGenerationMatch=<version>} for a pinned
     * source. With {@code gcs.createOnlyCopy=download-upload}, a copy with a condition instead reads the pinned
     * (or current) generation of the source, refused as {@link #get} refuses, and uploads it with the target's
     * condition. The result is the target as the service reported it.
     */
    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        before("copy", target);
        Deadline deadline = Deadline.start(settings.operationTimeout());
        boolean conditional = options.destination() instanceof PutMode.Create || options.sourceVersion() != null;
        if (conditional && settings.createOnlyCopy() == GcsSettings.CreateOnlyCopy.DOWNLOAD_UPLOAD) {
            return downloadUpload(source, target, options, deadline);
        }
        CopyRequest.Builder request = CopyRequest.newBuilder().setSource(id(source));
        if (options.sourceVersion() != null) {
            request.setSourceOptions(BlobSourceOption.generationMatch(
                    parseGeneration("copy", source, options.sourceVersion())));
        }
        if (options.destination() instanceof PutMode.Create) {
            request.setTarget(id(target), BlobTargetOption.doesNotExist());
        } else {
            request.setTarget(id(target));
        }
        settings.rewriteMegabytesPerCall().ifPresent(request::setMegabytesCopiedPerChunk);
        try {
            CopyWriter rewrite = storage.copy(request.build());
            // Large or cross-location objects take several rewrite calls; each resumes with the returned token and
            // keeps the first call's conditions.
            while (!rewrite.isDone()) {
                deadline.check("copy", target);
                rewrite.copyChunk();
            }
            return GcsObjectInfos.of(rewrite.getResult());
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            int code = GcsErrors.code(e);
            if (code == GcsErrors.NOT_FOUND) {
                throw new ObjectNotFoundException("copy", source, e);
            }
            if (code == GcsErrors.PRECONDITION_FAILED) {
                throw copyRefused(source, target, options, deadline, e);
            }
            throw GcsErrors.translate("copy", target, e);
        }
    }

    /**
     * {@code gcs.copyBatchSize} (100 by default), or 1 (no batches) with {@code gcs.createOnlyCopy=download-upload}
     * or a client that does not speak JSON over HTTP.
     */
    @Override
    public int maxCopyBatch(Location location) {
        boolean rewrites = settings.createOnlyCopy() == GcsSettings.CreateOnlyCopy.REWRITE;
        return batchCopier.isPresent() && rewrites ? settings.copyBatchSize() : 1;
    }

    /**
     * The copies as rewrites in one JSON batch request, each with the conditions {@link #copy} sends; see
     * {@link GcsBatchCopier} for the outcomes and what is sent again alone.
     */
    @Override
    public List<CopyOutcome> copyBatch(List<io.atomiccheckpoint.store.CopyRequest> copies) {
        if (copies.isEmpty()) {
            return List.of();
        }
        before("copy", copies.get(0).target());
        if (copies.size() == 1 || maxCopyBatch(copies.get(0).target()) == 1) {
            List<CopyOutcome> outcomes = new ArrayList<>(copies.size());
            for (io.atomiccheckpoint.store.CopyRequest c : copies) {
                outcomes.add(CopyOutcome.of(() -> copy(c.source(), c.target(), c.options())));
            }
            return outcomes;
        }
        return batchCopier.orElseThrow().copy(copies, this::copy, this::copyRefused,
                Deadline.start(settings.operationTimeout()));
    }

    /**
     * The exception for a rewrite refused with 412. When both conditions were sent the status does not say which
     * failed, so one metadata request of the source tells, for the message only: the service already refused.
     */
    private PreconditionFailedException copyRefused(Location source, Location target, CopyOptions options,
            Deadline deadline, RuntimeException cause) {
        String pinned = options.sourceVersion();
        if (pinned == null) {
            return new PreconditionFailedException("copy", target, cause);
        }
        String changed = "the source " + source + " is no longer version " + pinned;
        if (!(options.destination() instanceof PutMode.Create)) {
            return new PreconditionFailedException("copy", target, changed, cause);
        }
        String which;
        try {
            deadline.check("copy", target);
            Blob now = storage.get(id(source));
            if (now == null) {
                which = changed + " (it is gone)";
            } else if (pinned.equals(String.valueOf(now.getGeneration()))) {
                which = "create-only precondition failed: an object already exists there (the source " + source
                        + " is still version " + pinned + ")";
            } else {
                which = changed + " (now generation " + now.getGeneration() + ")";
            }
        } catch (RuntimeException e) {
            which = "an object already exists there, or " + changed;
        }
        return new PreconditionFailedException("copy", target, which, cause);
    }

    /**
     * A copy through this process: the source's pinned (or current) generation is read as {@link #get} reads it,
     * and uploaded with the destination's condition ({@code ifGenerationMatch=0} for create-only), which makes the
     * write safe on services that enforce upload conditions but not rewrite conditions.
     */
    private ObjectInfo downloadUpload(Location source, Location target, CopyOptions options, Deadline deadline) {
        Blob blob = current("copy", source, target, options.sourceVersion());
        long size = blob.getSize() == null ? 0 : blob.getSize();
        deadline.check("copy", target);
        InputStream in = size == 0 ? InputStream.nullInputStream()
                : openGeneration("copy", source, blob.getGeneration(), 0, size);
        try (in) {
            return uploads.write("copy", target, Payload.of(in, size), options.destination(), deadline);
        } catch (IOException e) {
            throw GcsErrors.translate("copy", source, e);
        }
    }

    /** Deletes with one batch request and no precondition; see {@link GcsBatchDeleter} for why that is safe. */
    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        if (locations.isEmpty()) {
            return List.of();
        }
        before("delete", locations.get(0));
        return deleter.delete(locations, Deadline.start(settings.operationTimeout()));
    }

    /** Always: the condition is checked where the store itself decides it. */
    @Override
    public boolean enforcesPinnedDeletes(Location location) {
        return true;
    }

    /** Each delete of the batch carries {@code ifGenerationMatch=<listed generation>}. */
    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        if (objects.isEmpty()) {
            return List.of();
        }
        List<GcsBatchDeleter.Target> targets = new ArrayList<>(objects.size());
        for (ObjectVersion o : objects) {
            targets.add(new GcsBatchDeleter.Target(o.location(), parseGeneration("delete", o.location(), o.version())));
        }
        before("delete", objects.get(0).location());
        return deleter.deleteIfGeneration(targets, Deadline.start(settings.operationTimeout()));
    }

    @Override
    public void close() {
        if (!ownsClient) {
            return;
        }
        try {
            storage.close();
        } catch (Exception e) {
            throw new StoreException(GcsErrors.kindOf(e), "close", null, GcsErrors.describe(e), e);
        }
    }

    @Override
    public String toString() {
        return "GcsObjectStore{" + settings + "}";
    }

    /**
     * The generation a version names. Versions of this store are generations; any other text is the caller's
     * mistake, refused as {@link ErrorKind#INVALID_INPUT} rather than sent.
     */
    static long parseGeneration(String operation, Location location, String version) {
        try {
            long generation = Long.parseLong(version);
            if (generation > 0) {
                return generation;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StoreException(ErrorKind.INVALID_INPUT, operation, location, "version '" + version
                + "' is not a GCS generation (a positive whole number)");
    }

    /** Refuses to start a request on an interrupted thread, keeping its interrupt status. */
    private static void before(String operation, Location location) {
        if (Thread.currentThread().isInterrupted()) {
            throw GcsErrors.interruptedBefore(operation, location);
        }
    }

    private static BlobId id(Location location) {
        return BlobId.of(location.bucket(), location.key());
    }

    /**
     * The bytes of one generation. The SDK's failures (an HTTP status, a reset, a timeout) become
     * {@link IOException}s whose cause is the {@link StoreException} of {@link GcsErrors}'s table; a 404 means the
     * generation was replaced or deleted during the read, a refused condition. A stream that ends before the
     * length the metadata reported is {@link ErrorKind#CORRUPT}.
     */
    private static final class GenerationStream extends InputStream {
        private final String operation;
        private final Location location;
        private final long generation;
        private final ReadChannel channel;
        private final InputStream in;
        private final byte[] one = new byte[1];
        private long remaining;

        GenerationStream(String operation, Location location, long generation, ReadChannel channel, long length) {
            this.operation = operation;
            this.location = location;
            this.generation = generation;
            this.channel = channel;
            this.in = Channels.newInputStream(channel);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, remaining));
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
            if (n < 0) {
                StoreException truncated = new StoreException(ErrorKind.CORRUPT, operation, location, "generation "
                        + generation + " ended " + remaining + " bytes before the length its metadata reported");
                throw new IOException(truncated.getMessage(), truncated);
            }
            remaining -= n;
            return n;
        }

        private IOException failure(Exception e) {
            StoreException cause = GcsErrors.code(e) == GcsErrors.NOT_FOUND
                    ? new PreconditionFailedException(operation, location, "generation " + generation
                            + " was replaced or deleted while it was read", e)
                    : GcsErrors.translate(operation, location, e);
            return new IOException(cause.getMessage(), cause);
        }

        @Override
        public void close() {
            channel.close();
        }
    }

    /**
     * Builds a {@link GcsObjectStore}. Give either {@link #client} (an already-built client the caller keeps
     * and closes; the store's retry, timeout, endpoint and credential settings then do not apply to it) or let
     * the store build one from {@link #config}, optionally adjusting the options with {@link #customizeOptions}.
     */
    public static final class Builder {
        private StoreConfig config = StoreConfig.empty();
        private Map<String, String> environment = System.getenv();
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
        public Builder environment(Map<String, String> environment) {
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
         * {@code HttpTransportOptions} whose transport injects faults. The connect and read timeouts and the retry
         * settings are applied again afterwards, so {@code gcs.timeout.*} and {@code gcs.retry.*} always hold.
         */
        public Builder customizeOptions(UnaryOperator<HttpStorageOptions.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Opens the store.
         *
         * @throws io.atomiccheckpoint.store.InvalidSettingException for an unknown {@code gcs.*} key or a bad value
         */
        public GcsObjectStore build() {
            GcsSettings settings = GcsSettings.from(config, environment);
            if (client != null) {
                return new GcsObjectStore(client, false, settings);
            }
            return new GcsObjectStore(GcsClientFactory.create(settings, customizer), true, settings);
        }
    }
}
