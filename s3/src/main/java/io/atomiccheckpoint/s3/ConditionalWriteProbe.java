package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Finds out, once per bucket, whether the server enforces {@code If-None-Match: *}: it writes two small
 * objects under {@code s3.probe.prefix}, then tries a create-only PutObject, CopyObject and
 * CompleteMultipartUpload onto them; each must fail with 412. It also checks that aborting the refused
 * multipart upload left the existing object in place. The probe objects are deleted afterwards. A
 * probe that fails for another reason (permissions, network) is not remembered, so the next call tries again.
 */
final class ConditionalWriteProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ConditionalWriteProbe.class);

    private final S3AsyncClient client;
    private final S3Settings settings;
    private final S3Errors errors;
    private final Map<String, CompletableFuture<ConditionalWriteSupport>> byBucket = new ConcurrentHashMap<>();

    ConditionalWriteProbe(S3AsyncClient client, S3Settings settings, S3Errors errors) {
        this.client = client;
        this.settings = settings;
        this.errors = errors;
    }

    /** What the server of {@code location}'s bucket enforces; probes on first use. */
    ConditionalWriteSupport support(Location location) {
        if (settings.conditionalWrites() == S3Settings.ConditionalWrites.TRUST) {
            return ConditionalWriteSupport.TRUSTED;
        }
        CompletableFuture<ConditionalWriteSupport> mine = new CompletableFuture<>();
        CompletableFuture<ConditionalWriteSupport> existing = byBucket.putIfAbsent(location.bucket(), mine);
        if (existing != null) {
            return errors.join(existing, "probe", location);
        }
        try {
            ConditionalWriteSupport support = probe(location.sameBucket(settings.probePrefix() + "/" + UUID.randomUUID()));
            mine.complete(support);
            return support;
        } catch (RuntimeException e) {
            byBucket.remove(location.bucket(), mine);
            mine.completeExceptionally(e);
            throw new StoreException("probe", location, "cannot find out whether the server enforces If-None-Match: *"
                    + " (set " + S3Settings.CONDITIONAL_WRITES + "=trust to skip the probe on Amazon S3): "
                    + errors.describe(e), e);
        }
    }

    private ConditionalWriteSupport probe(Location dir) {
        Location a = dir.resolve("a");
        Location b = dir.resolve("b");
        try {
            put(a, null);
            put(b, null);
            boolean put = refused(() -> put(a, "*"));
            boolean copy = refused(() -> errors.join(client.copyObject(r -> r.sourceBucket(a.bucket()).sourceKey(a.key())
                    .destinationBucket(b.bucket()).destinationKey(b.key()).ifNoneMatch("*")), "probe", b));
            boolean complete = refused(() -> completeOnto(a, b));
            boolean abortKeeps = exists(b);
            ConditionalWriteSupport support = new ConditionalWriteSupport(put, copy, complete, abortKeeps, true);
            if (put && copy && complete && abortKeeps) {
                LOG.debug("bucket {} enforces If-None-Match: * ({})", a.bucket(), support);
            } else {
                LOG.warn("the S3 server of bucket {} ignores If-None-Match: * on some requests: {}", a.bucket(), support);
            }
            return support;
        } finally {
            try {
                errors.join(client.deleteObjects(r -> r.bucket(a.bucket()).delete(Delete.builder().quiet(true)
                        .objects(ObjectIdentifier.builder().key(a.key()).build(),
                                ObjectIdentifier.builder().key(b.key()).build()).build())), "probe", dir);
            } catch (RuntimeException e) {
                LOG.warn("could not delete the probe objects below {}: {}", dir, errors.describe(e));
            }
        }
    }

    private void put(Location location, String ifNoneMatch) {
        errors.join(client.putObject(r -> r.bucket(location.bucket()).key(location.key()).ifNoneMatch(ifNoneMatch),
                AsyncRequestBody.fromString("atomic-checkpoint conditional write probe")), "probe", location);
    }

    private boolean exists(Location location) {
        try {
            errors.join(client.headObject(r -> r.bucket(location.bucket()).key(location.key())), "probe", location);
            return true;
        } catch (io.atomiccheckpoint.store.ObjectNotFoundException e) {
            return false;
        }
    }

    /** A one-part multipart copy of {@code source} completed create-only onto the existing {@code target}. */
    private void completeOnto(Location source, Location target) {
        String uploadId = errors.join(client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())),
                "probe", target).uploadId();
        boolean completed = false;
        try {
            String etag = errors.join(client.uploadPartCopy(r -> r.sourceBucket(source.bucket()).sourceKey(source.key())
                    .destinationBucket(target.bucket()).destinationKey(target.key()).uploadId(uploadId).partNumber(1)),
                    "probe", target).copyPartResult().eTag();
            errors.join(client.completeMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                    .ifNoneMatch("*").multipartUpload(m -> m.parts(List.of(
                            CompletedPart.builder().partNumber(1).eTag(etag).build())))), "probe", target);
            completed = true;
        } finally {
            if (!completed) {
                // Joined, so that the existence check that follows sees the abort's effect.
                try {
                    errors.join(client.abortMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                            .uploadId(uploadId)), "probe", target);
                } catch (StoreException e) {
                    LOG.debug("could not abort the probe's multipart upload: {}", errors.describe(e));
                }
            }
        }
    }

    /**
     * Runs a create-only request onto an existing object: true if the server refused it with 412. Any other
     * failure (a server that rejects the header or the operation) also means the request cannot be relied on.
     */
    private boolean refused(Runnable createOnlyRequest) {
        try {
            createOnlyRequest.run();
            return false;
        } catch (io.atomiccheckpoint.store.PreconditionFailedException expected) {
            return true;
        } catch (StoreException other) {
            LOG.debug("probe request failed other than with 412: {}", errors.describe(other));
            return false;
        }
    }
}
