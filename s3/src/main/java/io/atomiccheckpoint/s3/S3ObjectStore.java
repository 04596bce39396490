package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.TranslatingInputStream;
import io.atomiccheckpoint.spi.StoreCapabilities;
import io.atomiccheckpoint.spi.SupportsConditionalDelete;
import io.atomiccheckpoint.spi.SupportsPendingUploads;
import io.atomiccheckpoint.store.CopyOptions;
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
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link ObjectStore} for Amazon S3 and S3-compatible stores ({@code s3://bucket/key}), on the AWS SDK for
 * Java v2's {@link S3AsyncClient}. Users reach it through the {@link io.atomiccheckpoint.store.Store} facade,
 * which checks locations, page and batch sizes before a call gets here; this class does none of that again.
 *
 * <p>How each condition is sent, always in the request that takes effect (see {@link S3Uploads},
 * {@link S3Copier}):
 * <table>
 *   <caption>Conditions on S3</caption>
 *   <tr><th>request</th><th>header</th></tr>
 *   <tr><td>put {@link PutMode#CREATE}</td><td>{@code If-None-Match: *} on PutObject or CompleteMultipartUpload</td></tr>
 *   <tr><td>put {@link PutMode#update}</td><td>{@code If-Match: "<etag>"} on PutObject or CompleteMultipartUpload
 *       (412, or 404 for a missing object, is a {@link PreconditionFailedException})</td></tr>
 *   <tr><td>copy destination CREATE</td><td>{@code If-None-Match: *} on CopyObject or CompleteMultipartUpload</td></tr>
 *   <tr><td>pinned copy source</td><td>{@code x-amz-copy-source-if-match: "<etag>"} on CopyObject and on every
 *       UploadPartCopy</td></tr>
 *   <tr><td>get with an expected version</td><td>{@code If-Match: "<etag>"} on GetObject</td></tr>
 * </table>
 * The version of an {@link ObjectInfo} is the ETag without quotes.
 *
 * <p>Because S3-compatible servers may ignore some of these headers, or answer 412 and write anyway, the store
 * probes each bucket of a server reached through {@code s3.endpoint} once, before its first conditional request
 * ({@link ConditionalWriteProbe}; Amazon S3 itself is trusted, and {@code s3.conditionalWrites} overrides either
 * choice), and refuses a request whose condition the server does not enforce with
 * {@link ConditionalWritesNotEnforcedException} ({@link ErrorKind#NOT_SUPPORTED}) before sending it, so a condition
 * is never silently dropped. The only opt-out is {@code s3.unsafe.allowUnconditionalWrites=true} for create-only
 * writes (a racy HEAD check, logged). Where only CopyObject does not enforce {@code If-None-Match}, create-only
 * copies become multipart copies, whose completion the server does enforce ({@code s3.createOnlyCopy=copy-object}
 * refuses them instead); where AbortMultipartUpload deletes the object at the key (an emulator bug), refused or
 * failed uploads onto such keys are left open instead of aborted. {@link #capabilities()} therefore declares every
 * condition.
 *
 * <p>Results are what the service returned (ETag, checksums, sizes; see {@link S3Uploads} and {@link S3Copier} for
 * the fields S3's write responses lack). Failures follow one table ({@link S3Errors}); every operation ends with
 * {@link ErrorKind#TIMEOUT} at {@code s3.timeout.operation}, all its requests and retries included.
 *
 * <p>Settings are the {@link S3Settings} constants; unknown {@code s3.*} keys are refused. Use {@link #builder()}
 * to pass an already-built client, or to adjust the client builder (for example to add an
 * {@code ExecutionInterceptor} that injects faults).
 */
public final class S3ObjectStore implements ObjectStore, SupportsConditionalDelete, SupportsPendingUploads {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3ObjectStore.class);
    private final S3AsyncClient client;
    private final boolean ownsClient;
    private final S3Settings settings;
    private final StoreCapabilities capabilities;
    private final S3Errors errors;
    private final S3Conditions conditions;
    private final S3Uploads uploads;
    private final S3Copier copier;
    private final S3BatchDeleter deleter;

    private S3ObjectStore(S3AsyncClient client, boolean ownsClient, S3Settings settings) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.capabilities = StoreCapabilities.full(Scheme.S3, settings.deleteBatchSize(), S3Settings.MAX_LIST_PAGE);
        this.errors = new S3Errors(settings.secrets());
        this.conditions = new S3Conditions(client, settings, errors);
        this.uploads = new S3Uploads(client, settings, errors);
        this.copier = new S3Copier(client, settings, errors, uploads, conditions);
        this.deleter = new S3BatchDeleter(client, errors);
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
        return conditions.support(location, deadline());
    }

    /**
     * {@code s3.deleteBatchSize} (at most 1 000) objects per delete, 1 000 keys per listing page, and every
     * condition: one the bucket's server turns out to ignore is refused at request time, never weakened.
     */
    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    private Deadline deadline() {
        return Deadline.after(settings.operationTimeout());
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        Deadline deadline = deadline();
        ListObjectsV2Response page = errors.join(client.listObjectsV2(r -> r.bucket(prefix.bucket())
                .prefix(prefix.prefix()).maxKeys(pageSize).continuationToken(pageToken)
                .delimiter(delimited ? "/" : null).overrideConfiguration(deadline.override("list", prefix))), "list",
                prefix, deadline);
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

    /** A HeadObject; a missing key (or, as HEAD cannot tell them apart, a missing bucket) is empty. */
    @Override
    public Optional<ObjectInfo> stat(Location location) {
        return conditions.head(location, null, "stat", deadline());
    }

    /**
     * A GetObject with {@code If-Match} for an expected version and a {@code Range} for a part. A range that starts
     * at or after the end of the object is empty (S3 answers 416 only after the version condition held). The
     * stream's failures are {@link java.io.IOException}s caused by a {@link StoreException}.
     */
    @Override
    public InputStream get(Location location, GetOptions options) {
        Deadline deadline = deadline();
        String ifMatch = null;
        if (options.expectedVersion() != null) {
            ifMatch = S3ObjectInfos.etagHeader(options.expectedVersion(), "get", location);
            ConditionalWriteSupport support = conditions.support(location, deadline);
            S3Conditions.require(support.getIfMatch(), "get", location, "If-Match", "GetObject", support);
        }
        String expected = ifMatch;
        try {
            if (options.length() == 0) {
                // HTTP cannot ask for no bytes; a HEAD still checks that the object, and the version, are there.
                conditions.head(location, ifMatch, "get", deadline)
                        .orElseThrow(() -> new ObjectNotFoundException("get", location, null));
                return new ByteArrayInputStream(new byte[0]);
            }
            String range = options.isRange() ? "bytes=" + options.offset() + "-"
                    + (options.length() < 0 ? "" : Long.toString(options.offset() + options.length() - 1)) : null;
            // The future completes when the response headers arrive, so a missing object fails here, not mid-read.
            ResponseInputStream<GetObjectResponse> in = errors.join(client.getObject(r -> r.bucket(location.bucket())
                    .key(location.key()).ifMatch(expected).range(range)
                    .checksumMode(range == null ? ChecksumMode.ENABLED : null)
                    .overrideConfiguration(deadline.override("get", location)),
                    AsyncResponseTransformer.toBlockingInputStream()), "get", location, deadline);
            // An interrupt while reading is INTERRUPTED whatever the SDK made of it.
            return new TranslatingInputStream(in, e -> Thread.currentThread().isInterrupted()
                    ? new StoreException(ErrorKind.INTERRUPTED, "get", location, "interrupted while reading", e)
                    : errors.translate("get", location, e));
        } catch (StoreException e) {
            if (e.kind() == ErrorKind.PRECONDITION_FAILED && expected != null) {
                throw new PreconditionFailedException("get", location, "the object is no longer version "
                        + options.expectedVersion(), e);
            }
            if (options.isRange() && S3Errors.status(e) == 416) {
                return new ByteArrayInputStream(new byte[0]);
            }
            throw e;
        }
    }

    /**
     * PutObject, or a multipart upload above {@code s3.multipartUploadThresholdBytes}. Safe because of the
     * mode's condition: {@code If-None-Match: *} (CREATE) or {@code If-Match} (update) on the request that makes
     * the object appear; OVERWRITE has none, the caller owns the key. Before a conditional put the bucket's
     * server must have been seen to enforce that condition.
     */
    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        Deadline deadline = deadline();
        boolean multipart = payload.length() > settings.multipartUploadThreshold();
        String request = multipart ? "CompleteMultipartUpload" : "PutObject";
        boolean mayAbort;
        if (mode instanceof PutMode.Create) {
            ConditionalWriteSupport support = conditions.support(location, deadline);
            conditions.requireCreateOnly(multipart ? support.completeMultipartUpload() : support.putObject(), "put",
                    location, request, support, deadline);
            mayAbort = support.abortKeepsExistingObject();
        } else if (mode instanceof PutMode.Update) {
            ConditionalWriteSupport support = conditions.support(location, deadline);
            S3Conditions.require(multipart ? support.completeMultipartUploadIfMatch() : support.putObjectIfMatch(),
                    "put", location, "If-Match", request, support);
            mayAbort = support.abortKeepsExistingObject();
        } else {
            mayAbort = conditions.mayAbort(location);
        }
        return uploads.put(location, payload, mode, mayAbort, deadline);
    }

    /**
     * A server-side copy (CopyObject, or UploadPartCopy parts); see {@link S3Copier} for the conditions that make
     * it safe and where the result's fields come from.
     */
    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        return copier.copy(source, target, options, deadline());
    }

    /** DeleteObjects, one request per bucket; see {@link S3BatchDeleter} for why no condition is needed. */
    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        return deleter.delete(locations, deadline());
    }

    /**
     * Lists the multipart uploads pending below {@code prefix} one page at a time (ListMultipartUploads) and aborts
     * each (AbortMultipartUpload). Not on a bucket whose probe saw AbortMultipartUpload delete the object already
     * at the key (S3Mock): there an abort could delete a newer checkpoint's object, so nothing is aborted and the
     * stale completion stays possible (README, Known limits). It needs {@code s3:ListBucketMultipartUploads} and
     * {@code s3:AbortMultipartUpload}; where they are denied it logs that the window stays open and aborts nothing.
     * Each page and each abort has the operation timeout of its own.
     */
    @Override
    public long abortPendingUploads(Location prefix) {
        if (!conditions.mayAbort(prefix)) {
            LOG.warn("left the multipart uploads pending below {} alone: this server's AbortMultipartUpload deletes"
                    + " the object already at the key", prefix);
            return 0;
        }
        String keyPrefix = prefix.key().isEmpty() ? "" : prefix.key() + "/";
        long aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            String km = keyMarker;
            String um = uploadIdMarker;
            Deadline listing = deadline();
            ListMultipartUploadsResponse page;
            try {
                page = errors.join(client.listMultipartUploads(r -> r.bucket(prefix.bucket())
                        .prefix(keyPrefix).keyMarker(km).uploadIdMarker(um)
                        .overrideConfiguration(listing.override("abort pending uploads", prefix))),
                        "abort pending uploads", prefix, listing);
            } catch (StoreException e) {
                if (e.kind() != ErrorKind.PERMISSION_DENIED) {
                    throw e;
                }
                LOG.warn("cannot list the multipart uploads pending below {} (s3:ListBucketMultipartUploads denied):"
                        + " a stale multipart copy stopped before its completion could still complete there", prefix);
                return aborted;
            }
            for (MultipartUpload upload : page.uploads()) {
                if (!upload.key().startsWith(keyPrefix)) {
                    continue; // a server that ignored the prefix: never touch another location's uploads
                }
                Location at = prefix.sameBucket(upload.key());
                Deadline deadline = deadline();
                try {
                    errors.join(client.abortMultipartUpload(r -> r.bucket(at.bucket()).key(at.key())
                            .uploadId(upload.uploadId()).overrideConfiguration(deadline.override("abort", at))),
                            "abort", at, deadline);
                    aborted++;
                } catch (StoreException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                    // NoSuchUpload: completed or aborted meanwhile, nothing pending any more.
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return aborted;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
    }

    /** Where the bucket's probe saw DeleteObjects keep an object whose {@code ETag} element names another version. */
    @Override
    public boolean enforcesPinnedDeletes(Location location) {
        return conditions.support(location, deadline()).deleteObjectsETag();
    }

    /**
     * Each object of the DeleteObjects request names its listed ETag; refused as {@link ErrorKind#NOT_SUPPORTED}
     * where the server ignores it ({@link #enforcesPinnedDeletes}), so the condition is never silently dropped.
     */
    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        if (objects.isEmpty()) {
            return List.of();
        }
        Location first = objects.get(0).location();
        if (!enforcesPinnedDeletes(first)) {
            throw new StoreException(ErrorKind.NOT_SUPPORTED, "delete", first, "the S3 server of this bucket ignores"
                    + " the ETag of each object in DeleteObjects (seen by the conditional-write probe)");
        }
        return deleter.deleteIfUnchanged(objects, deadline());
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
     * Builds an {@link S3ObjectStore}. Give either {@link #client} (an already-built client the caller keeps and
     * closes; the store's endpoint, credential, region, concurrency, retry and client timeout settings then do
     * not apply, though each operation's deadline still does) or let the store build one from {@link #config},
     * optionally adjusting the builder with {@link #customizeClient}.
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
         * ({@code s3.retry.maxAttempts}) and client timeouts ({@code s3.timeout.attempt},
         * {@code s3.timeout.operation}) are merged in afterwards, unless the customizer set a retry strategy,
         * policy or mode, or a timeout, of its own.
         */
        public Builder customizeClient(UnaryOperator<S3AsyncClientBuilder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * @throws io.atomiccheckpoint.store.InvalidSettingException for an unknown {@code s3.*} key or a malformed
         *     value, naming the key
         */
        public S3ObjectStore build() {
            S3Settings settings = S3Settings.from(config);
            if (client != null) {
                return new S3ObjectStore(client, false, settings);
            }
            return new S3ObjectStore(S3ClientFactory.create(settings, customizer), true, settings);
        }
    }
}
