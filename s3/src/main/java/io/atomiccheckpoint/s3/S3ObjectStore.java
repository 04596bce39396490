package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.WriteMode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link ObjectStore} for Amazon S3 and S3-compatible stores ({@code s3://bucket/key}), on the AWS SDK for
 * Java v2's {@link S3AsyncClient}.
 *
 * <p>Create-only writes send {@code If-None-Match: *} on the PutObject, or on the CompleteMultipartUpload of
 * a large object; create-only copies send it on the CopyObject, or on the CompleteMultipartUpload of a
 * multipart copy. A 412 becomes core's {@code PreconditionFailedException}. Because older S3-compatible
 * servers ignore the header and silently overwrite, the store probes each bucket once, before its first
 * create-only request (see {@link ConditionalWriteSupport}), and then:
 * <ul>
 *   <li>if PutObject is not enforced, refuses create-only writes and copies with
 *       {@link ConditionalWritesNotEnforcedException}, unless {@code s3.unsafe.allowUnconditionalWrites=true},
 *       in which case it checks with HEAD before writing (two racing writers can both pass; logged);</li>
 *   <li>if only CopyObject is not enforced, makes create-only copies as multipart copies (UploadPartCopy,
 *       still server-side) whose CompleteMultipartUpload the server does enforce;</li>
 *   <li>if AbortMultipartUpload deletes the object already at the key (an emulator bug), leaves a refused
 *       create-only upload open instead of aborting it.</li>
 * </ul>
 *
 * <p>The version token of an {@link ObjectInfo} is the ETag (without quotes); its checksums are the
 * full-object additional checksums S3 returns ({@code crc32}, {@code crc32c}, {@code crc64nvme}, {@code sha1},
 * {@code sha256}). Listings are ListObjectsV2 pages, fetched one at a time.
 *
 * <p>Settings ({@link StoreConfig} keys; unknown {@code s3.*} keys are refused):
 * <ul>
 *   <li>{@code s3.endpoint}: service URL override for S3-compatible stores and emulators
 *       ({@code http://127.0.0.1:9090}); no path, user info or query.</li>
 *   <li>{@code s3.region}: the region; by default the SDK's region chain ({@code AWS_REGION}, profile, instance
 *       metadata); with an endpoint override and no region anywhere, {@code us-east-1}.</li>
 *   <li>{@code s3.pathStyle} (default false): path-style addressing ({@code endpoint/bucket/key}), which most
 *       S3-compatible stores need.</li>
 *   <li>{@code s3.credentials}: {@code default} (the SDK's default credential chain; the default),
 *       {@code anonymous}, or {@code static} with {@code s3.accessKeyId}, {@code s3.secretAccessKey} and optionally
 *       {@code s3.sessionToken} (implied when those are set). Credentials are never printed.</li>
 *   <li>{@code s3.maxConcurrency} (default 64): the most HTTP requests in flight; more wait for a connection.</li>
 *   <li>{@code s3.retry.maxAttempts} (default 5, 1 = no retries): the SDK standard retry strategy's budget for
 *       throttling, 5xx and I/O failures. {@code s3.apiCallTimeout} (optional, ISO-8601 or milliseconds): the
 *       limit on one call including its retries.</li>
 *   <li>{@code s3.requestChecksums}: {@code when_supported} (default; the SDK sends a CRC32 with every upload)
 *       or {@code when_required} (for servers that reject the SDK's checksum trailers).</li>
 *   <li>{@code s3.multipartUploadThresholdBytes} (default 16 MiB) and {@code s3.multipartPartSizeBytes}
 *       (default 8 MiB, at least 5 MiB): larger writes are multipart uploads; one part is buffered at a time.</li>
 *   <li>{@code s3.multipartCopyThresholdBytes} (default and maximum 5 GiB) and
 *       {@code s3.multipartCopyPartSizeBytes} (default 512 MiB, at least 5 MiB): larger copies are multipart
 *       UploadPartCopy copies.</li>
 *   <li>{@code s3.deleteBatchSize} (1..1000, default 1000): keys per DeleteObjects request.</li>
 *   <li>{@code s3.conditionalWrites}: {@code probe} (default) or {@code trust} (skip the probe; for Amazon S3,
 *       which enforces every conditional write, or when the principal may not write {@code s3.probe.prefix}).</li>
 *   <li>{@code s3.probe.prefix} (default {@code .atomic-checkpoint-probe}): where in each bucket the probe writes
 *       and deletes its two small objects.</li>
 *   <li>{@code s3.createOnlyCopy}: {@code auto} (default; CopyObject when the probe saw it enforced, else
 *       multipart copy), {@code copy-object} or {@code multipart-copy}.</li>
 *   <li>{@code s3.unsafe.allowUnconditionalWrites} (default false): accept a server that ignores
 *       {@code If-None-Match}, with a racy check-then-write; exactly-once commit markers are then not guaranteed.</li>
 * </ul>
 * Use {@link #builder()} to pass an already-built client, or to adjust the client builder (for example to add
 * an {@code ExecutionInterceptor} that injects faults).
 */
public final class S3ObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    private final S3AsyncClient client;
    private final boolean ownsClient;
    private final S3Settings settings;
    private final S3Errors errors;
    private final S3Uploads uploads;
    private final S3Copier copier;
    private final S3BatchDeleter deleter;
    private final ConditionalWriteProbe probe;
    private final AtomicBoolean warnedUnsafe = new AtomicBoolean();

    private S3ObjectStore(S3AsyncClient client, boolean ownsClient, S3Settings settings) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.errors = new S3Errors(settings.secrets());
        this.uploads = new S3Uploads(client, settings, errors);
        this.copier = new S3Copier(client, settings, errors, uploads);
        this.deleter = new S3BatchDeleter(client, settings.deleteBatchSize(), errors);
        this.probe = new ConditionalWriteProbe(client, settings, errors);
    }

    /** Opens a store configured by {@code config}, with a client the store owns and closes. */
    public static S3ObjectStore open(StoreConfig config) {
        return builder().config(config).build();
    }

    /** A builder for stores that need an existing client or an adjusted client builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The SDK client this store uses. */
    public S3AsyncClient client() {
        return client;
    }

    /** The parsed settings. */
    public S3Settings settings() {
        return settings;
    }

    /** What the server of {@code location}'s bucket enforces; probes the bucket if it has not been yet. */
    public ConditionalWriteSupport conditionalWriteSupport(Location location) {
        requireS3(location, "conditionalWriteSupport", true);
        return probe.support(location);
    }

    @Override
    public ListPage listPage(Location prefix, boolean delimited, String pageToken, int pageSize) {
        requireS3(prefix, "list", true);
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, was " + pageSize);
        }
        ListObjectsV2Response page = errors.joinGeneric(client.listObjectsV2(r -> r.bucket(prefix.bucket())
                .prefix(prefix.prefix()).maxKeys(Math.min(pageSize, 1000)).continuationToken(pageToken)
                .delimiter(delimited ? "/" : null)), "list", prefix);
        List<ObjectInfo> objects = new ArrayList<>(page.contents().size());
        for (S3Object object : page.contents()) {
            objects.add(S3ObjectInfos.of(object));
        }
        List<String> directories = new ArrayList<>(page.commonPrefixes().size());
        for (CommonPrefix common : page.commonPrefixes()) {
            directories.add(common.prefix());
        }
        boolean more = Boolean.TRUE.equals(page.isTruncated());
        return new ListPage(objects, directories, more ? page.nextContinuationToken() : null);
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        requireS3(location, "stat", false);
        try {
            HeadObjectResponse head = errors.join(client.headObject(r -> r.bucket(location.bucket()).key(location.key())
                    .checksumMode(ChecksumMode.ENABLED)), "stat", location);
            return Optional.of(S3ObjectInfos.of(location.key(), head));
        } catch (ObjectNotFoundException missing) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream read(Location location) {
        requireS3(location, "read", false);
        // The future completes when the response headers arrive, so a missing object fails here, not mid-read.
        return errors.join(client.getObject(r -> r.bucket(location.bucket()).key(location.key())
                .checksumMode(ChecksumMode.ENABLED), AsyncResponseTransformer.toBlockingInputStream()), "read", location);
    }

    @Override
    public ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
        requireS3(location, "write", false);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mode, "mode");
        boolean createOnly = mode == WriteMode.CREATE;
        boolean mayAbort = true;
        if (createOnly) {
            ConditionalWriteSupport support = probe.support(location);
            mayAbort = support.abortKeepsExistingObject();
            boolean multipart = length > settings.multipartUploadThreshold();
            boolean enforced = multipart ? support.completeMultipartUpload() : support.putObject();
            if (!enforced) {
                checkBeforeUnconditionalWrite("write", location, multipart ? "CompleteMultipartUpload" : "PutObject", support);
            }
        }
        return uploads.write(location, data, length, createOnly, mayAbort);
    }

    @Override
    public ObjectInfo copy(Location source, Location target, WriteMode mode) {
        checkCopy(source, target, mode);
        ObjectInfo sourceInfo = stat(source).orElseThrow(() -> new ObjectNotFoundException("copy", source, null));
        return copyChecked(source, sourceInfo, target, mode);
    }

    private void checkCopy(Location source, Location target, WriteMode mode) {
        requireS3(source, "copy", false);
        requireS3(target, "copy", false);
        Objects.requireNonNull(mode, "mode");
        if (!source.sameBucketAs(target)) {
            throw new IllegalArgumentException("copy needs both locations in one bucket: " + source + " -> " + target);
        }
    }

    /** Takes the source's size (which picks CopyObject or a multipart copy) and ETag from {@code sourceInfo}. */
    @Override
    public ObjectInfo copy(Location source, ObjectInfo sourceInfo, Location target, WriteMode mode) {
        checkCopy(source, target, mode);
        return copyChecked(source, Objects.requireNonNull(sourceInfo, "sourceInfo"), target, mode);
    }

    private ObjectInfo copyChecked(Location source, ObjectInfo sourceInfo, Location target, WriteMode mode) {
        if (mode == WriteMode.OVERWRITE) {
            return copier.needsMultipart(sourceInfo.size()) ? copier.multipartCopy(source, sourceInfo, target, false, true)
                    : copier.copyObject(source, sourceInfo, target, false);
        }
        ConditionalWriteSupport support = settings.createOnlyCopy() == S3Settings.CreateOnlyCopy.COPY_OBJECT
                ? ConditionalWriteSupport.TRUSTED : probe.support(target);
        boolean multipart = copier.needsMultipart(sourceInfo.size())
                || settings.createOnlyCopy() == S3Settings.CreateOnlyCopy.MULTIPART_COPY
                || (settings.createOnlyCopy() == S3Settings.CreateOnlyCopy.AUTO && !support.copyObject());
        // An empty source is copied by a create-only PutObject (UploadPartCopy cannot address an empty range).
        boolean enforced = multipart ? (sourceInfo.size() == 0 ? support.putObject() : support.completeMultipartUpload())
                : support.copyObject();
        if (!enforced) {
            checkBeforeUnconditionalWrite("copy", target, multipart ? "CompleteMultipartUpload" : "CopyObject", support);
        }
        return multipart ? copier.multipartCopy(source, sourceInfo, target, true, support.abortKeepsExistingObject())
                : copier.copyObject(source, sourceInfo, target, true);
    }

    /**
     * Refuses a create-only request the server would not enforce, or in the explicit unsafe mode makes the
     * best check left: fail if the target exists now.
     */
    private void checkBeforeUnconditionalWrite(String operation, Location target, String request,
            ConditionalWriteSupport support) {
        if (!settings.allowUnconditionalWrites()) {
            throw new ConditionalWritesNotEnforcedException(operation, target, request, support);
        }
        if (warnedUnsafe.compareAndSet(false, true)) {
            LOG.warn("{}: the S3 server of bucket {} ignores If-None-Match: * on {}; {}=true, so create-only writes are"
                    + " checked with HEAD first and two racing writers can both succeed", this, target.bucket(), request,
                    S3Settings.UNSAFE_ALLOW_UNCONDITIONAL);
        }
        if (stat(target).isPresent()) {
            throw new PreconditionFailedException(operation, target, null);
        }
    }

    @Override
    public void delete(Location location) {
        requireS3(location, "delete", false);
        // S3 answers 204 for a missing key too.
        errors.joinGeneric(client.deleteObject(r -> r.bucket(location.bucket()).key(location.key())), "delete", location);
    }

    @Override
    public List<DeleteResult> deleteBatch(List<Location> locations) {
        for (Location loc : locations) {
            requireS3(loc, "deleteBatch", false);
        }
        return deleter.delete(locations);
    }

    /** {@code s3.deleteBatchSize}; at most 1 000, the DeleteObjects limit. */
    @Override
    public int maxDeleteBatchSize() {
        return settings.deleteBatchSize();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "S3ObjectStore{" + settings + "}";
    }

    /**
     * Refuses other schemes before any request, so a mix-up cannot address a same-named bucket in another
     * cloud. Bucket names were checked against S3's rules when the location was parsed.
     */
    private static void requireS3(Location location, String operation, boolean rootAllowed) {
        Objects.requireNonNull(location, "location");
        if (location.scheme() != Scheme.S3) {
            throw new IllegalArgumentException("S3ObjectStore." + operation + " handles s3:// locations only, got "
                    + location + " (scheme " + location.scheme() + ")");
        }
        if (!rootAllowed && location.isRoot()) {
            throw new IllegalArgumentException("S3ObjectStore." + operation + " needs an object key, got the bucket root "
                    + location);
        }
    }

    /**
     * Builds an {@link S3ObjectStore}. Give either {@link #client} (an already-built client the caller keeps and
     * closes; the store's endpoint, credential, region, concurrency and retry settings then do not apply) or let
     * the store build one from {@link #config}, optionally adjusting the builder with {@link #customizeClient}.
     */
    public static final class Builder {
        private StoreConfig config = StoreConfig.empty();
        private S3AsyncClient client;
        private UnaryOperator<S3AsyncClientBuilder> customizer = UnaryOperator.identity();

        private Builder() {
        }

        /** The {@code s3.*} settings. */
        public Builder config(StoreConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Use this client instead of building one; the store will not close it. */
        public Builder client(S3AsyncClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Adjusts the client builder after the store applied its settings, for example
         * {@code b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(faults))}. The store's retry budget
         * ({@code s3.retry.maxAttempts}) and {@code s3.apiCallTimeout} are merged in afterwards, unless the
         * customizer set a retry strategy, policy or mode, or a call timeout, of its own.
         */
        public Builder customizeClient(UnaryOperator<S3AsyncClientBuilder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public S3ObjectStore build() {
            S3Settings settings = S3Settings.from(config);
            if (client != null) {
                return new S3ObjectStore(client, false, settings);
            }
            return new S3ObjectStore(S3ClientFactory.create(settings, customizer), true, settings);
        }
    }
}
