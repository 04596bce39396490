package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Finds out, once per bucket, which conditional requests the server enforces (see
 * {@link ConditionalWriteSupport}). It writes two small objects {@code a} and {@code b} under
 * {@code s3.probe.prefix/<random id>/}, sends each conditional request with a condition that cannot hold
 * (create-only onto an existing key, or an ETag no object has) and counts it enforced only if the server
 * answers 412. It also checks that aborting a multipart upload left the object at its key in place. The probe
 * objects are deleted afterwards.
 *
 * <p>Every write and delete of the probe addresses only those two keys below a fresh random prefix, which no one
 * else uses: that is what makes its unconditional writes, its refused ones the server might not refuse, its abort
 * and its delete safe.
 *
 * <p>A probe that fails for another reason (permissions, throttling, a timeout) is not remembered, so the next
 * call tries again.
 */
final class ConditionalWriteProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ConditionalWriteProbe.class);
    /** An ETag no probe object has: the probe objects' ETags are MD5s of known text. */
    private static final String WRONG_ETAG = "\"0123456789abcdef0123456789abcdef\"";

    private final S3AsyncClient client;
    private final S3Settings settings;
    private final S3Errors errors;
    private final Map<String, CompletableFuture<ConditionalWriteSupport>> byBucket = new ConcurrentHashMap<>();

    ConditionalWriteProbe(S3AsyncClient client, S3Settings settings, S3Errors errors) {
        this.client = client;
        this.settings = settings;
        this.errors = errors;
    }

    /** What the server of {@code location}'s bucket enforces; probes on first use, within {@code deadline}. */
    ConditionalWriteSupport support(Location location, Deadline deadline) {
        if (settings.conditionalWrites() == S3Settings.ConditionalWrites.TRUST) {
            return ConditionalWriteSupport.TRUSTED;
        }
        CompletableFuture<ConditionalWriteSupport> mine = new CompletableFuture<>();
        CompletableFuture<ConditionalWriteSupport> existing = byBucket.putIfAbsent(location.bucket(), mine);
        if (existing != null) {
            return errors.join(existing, "probe", location, deadline);
        }
        try {
            ConditionalWriteSupport support = probe(location.sameBucket(settings.probePrefix() + "/"
                    + UUID.randomUUID()), deadline);
            mine.complete(support);
            return support;
        } catch (RuntimeException e) {
            byBucket.remove(location.bucket(), mine);
            mine.completeExceptionally(e);
            ErrorKind kind = S3Errors.kindOf(e);
            throw new StoreException(kind, "probe", location, "cannot find out which conditional requests the server"
                    + " enforces (" + S3Settings.CONDITIONAL_WRITES + "=trust skips this on Amazon S3): "
                    + errors.describe(e), e);
        }
    }

    /** The support already known for the bucket (probed or trusted), without probing. */
    Optional<ConditionalWriteSupport> known(Location location) {
        if (settings.conditionalWrites() == S3Settings.ConditionalWrites.TRUST) {
            return Optional.of(ConditionalWriteSupport.TRUSTED);
        }
        CompletableFuture<ConditionalWriteSupport> f = byBucket.get(location.bucket());
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
    }

    private ConditionalWriteSupport probe(Location dir, Deadline deadline) {
        Location a = dir.resolve("a");
        Location b = dir.resolve("b");
        try {
            put(a, null, null, deadline);
            put(b, null, null, deadline);
            boolean putObject = refused(() -> put(a, "*", null, deadline));
            boolean copyObject = refused(() -> errors.join(client.copyObject(r -> r.sourceBucket(a.bucket())
                    .sourceKey(a.key()).destinationBucket(b.bucket()).destinationKey(b.key()).ifNoneMatch("*")
                    .overrideConfiguration(deadline.override("probe", b))), "probe", b, deadline));
            boolean[] multipart = multipartConditions(a, b, deadline);
            boolean abortKeeps = exists(b, deadline);
            boolean putIfMatch = refused(() -> put(a, null, WRONG_ETAG, deadline));
            boolean copyPinned = refused(() -> errors.join(client.copyObject(r -> r.sourceBucket(a.bucket())
                    .sourceKey(a.key()).destinationBucket(b.bucket()).destinationKey(b.key())
                    .copySourceIfMatch(WRONG_ETAG).overrideConfiguration(deadline.override("probe", b))), "probe", b,
                    deadline));
            boolean getPinned = refused(() -> errors.join(client.getObject(r -> r.bucket(a.bucket()).key(a.key())
                    .ifMatch(WRONG_ETAG).range("bytes=0-0").overrideConfiguration(deadline.override("probe", a)),
                    AsyncResponseTransformer.toBytes()), "probe", a, deadline))
                    && refused(() -> errors.join(client.headObject(r -> r.bucket(a.bucket()).key(a.key())
                            .ifMatch(WRONG_ETAG).overrideConfiguration(deadline.override("probe", a))), "probe", a,
                            deadline));
            ConditionalWriteSupport support = new ConditionalWriteSupport(putObject, copyObject, multipart[0],
                    putIfMatch, multipart[1], copyPinned, multipart[2], getPinned, abortKeeps, true);
            if (support.enforcesEverything() && abortKeeps) {
                LOG.debug("bucket {} enforces every conditional request ({})", a.bucket(), support);
            } else {
                LOG.warn("the S3 server of bucket {} ignores some conditions; the store refuses requests that need"
                        + " them: {}", a.bucket(), support);
            }
            return support;
        } finally {
            try {
                errors.join(client.deleteObjects(r -> r.bucket(a.bucket()).delete(Delete.builder().quiet(true)
                        .objects(ObjectIdentifier.builder().key(a.key()).build(),
                                ObjectIdentifier.builder().key(b.key()).build()).build())
                        .overrideConfiguration(deadline.override("probe", dir))), "probe", dir, deadline);
            } catch (RuntimeException e) {
                LOG.warn("could not delete the probe objects below {}: {}", dir, errors.describe(e));
            }
        }
    }

    private void put(Location location, String ifNoneMatch, String ifMatch, Deadline deadline) {
        errors.join(client.putObject(r -> r.bucket(location.bucket()).key(location.key()).ifNoneMatch(ifNoneMatch)
                .ifMatch(ifMatch).overrideConfiguration(deadline.override("probe", location)),
                AsyncRequestBody.fromString("atomic-checkpoint conditional write probe")), "probe", location, deadline);
    }

    private boolean exists(Location location, Deadline deadline) {
        try {
            errors.join(client.headObject(r -> r.bucket(location.bucket()).key(location.key())
                    .overrideConfiguration(deadline.override("probe", location))), "probe", location, deadline);
            return true;
        } catch (io.atomiccheckpoint.store.ObjectNotFoundException e) {
            return false;
        }
    }

    /**
     * In one multipart upload onto the existing {@code target}: an UploadPartCopy pinned to a wrong source ETag,
     * then, with a good part, a create-only CompleteMultipartUpload and one with a wrong {@code If-Match}; then
     * the upload is aborted. Returns {create-only complete, If-Match complete, pinned part copy} enforced.
     */
    private boolean[] multipartConditions(Location source, Location target, Deadline deadline) {
        String uploadId = errors.join(client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                .overrideConfiguration(deadline.override("probe", target))), "probe", target, deadline).uploadId();
        boolean completed = false;
        try {
            boolean partPinned = refused(() -> errors.join(client.uploadPartCopy(r -> copyPart(r, source, target,
                    uploadId).copySourceIfMatch(WRONG_ETAG).overrideConfiguration(deadline.override("probe", target))),
                    "probe", target, deadline));
            String etag = errors.join(client.uploadPartCopy(r -> copyPart(r, source, target, uploadId)
                    .overrideConfiguration(deadline.override("probe", target))), "probe", target, deadline)
                    .copyPartResult().eTag();
            List<CompletedPart> parts = List.of(CompletedPart.builder().partNumber(1).eTag(etag).build());
            Completion createOnly = complete(target, uploadId, parts, "*", null, deadline);
            completed = createOnly == Completion.COMPLETED;
            // After a completion the upload is gone, so the If-Match check cannot run: counted as not enforced,
            // which errs on the safe side for a server that ignores If-None-Match anyway.
            Completion ifMatch = completed ? Completion.FAILED
                    : complete(target, uploadId, parts, null, WRONG_ETAG, deadline);
            completed |= ifMatch == Completion.COMPLETED;
            return new boolean[] {createOnly == Completion.REFUSED, ifMatch == Completion.REFUSED, partPinned};
        } finally {
            if (!completed) {
                // Joined, so that the existence check that follows sees the abort's effect.
                try {
                    errors.join(client.abortMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                            .uploadId(uploadId).overrideConfiguration(deadline.override("probe", target))), "probe",
                            target, deadline);
                } catch (StoreException e) {
                    LOG.debug("could not abort the probe's multipart upload: {}", errors.describe(e));
                }
            }
        }
    }

    private enum Completion {
        COMPLETED,
        REFUSED,
        FAILED
    }

    private Completion complete(Location target, String uploadId, List<CompletedPart> parts, String ifNoneMatch,
            String ifMatch, Deadline deadline) {
        try {
            errors.join(client.completeMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                    .uploadId(uploadId).ifNoneMatch(ifNoneMatch).ifMatch(ifMatch).multipartUpload(m -> m.parts(parts))
                    .overrideConfiguration(deadline.override("probe", target))), "probe", target, deadline);
            return Completion.COMPLETED;
        } catch (io.atomiccheckpoint.store.PreconditionFailedException expected) {
            return Completion.REFUSED;
        } catch (StoreException other) {
            notEnforced(other);
            return Completion.FAILED;
        }
    }

    private static software.amazon.awssdk.services.s3.model.UploadPartCopyRequest.Builder copyPart(
            software.amazon.awssdk.services.s3.model.UploadPartCopyRequest.Builder r, Location source, Location target,
            String uploadId) {
        return r.sourceBucket(source.bucket()).sourceKey(source.key()).destinationBucket(target.bucket())
                .destinationKey(target.key()).uploadId(uploadId).partNumber(1);
    }

    /**
     * Runs a request whose condition cannot hold: true if the server refused it with 412. A server that rejects
     * the header or the operation outright cannot be relied on either (false); a failure that says nothing about
     * the condition (throttling, 5xx, timeouts, permissions, an interrupt) fails the probe.
     */
    private boolean refused(Runnable conditionalRequest) {
        try {
            conditionalRequest.run();
            return false;
        } catch (io.atomiccheckpoint.store.PreconditionFailedException expected) {
            return true;
        } catch (StoreException other) {
            return notEnforced(other);
        }
    }

    private boolean notEnforced(StoreException failure) {
        switch (failure.kind()) {
            case THROTTLED:
            case TRANSIENT:
            case TIMEOUT:
            case INTERRUPTED:
            case PERMISSION_DENIED:
            case UNAUTHENTICATED:
                throw failure;
            default:
                LOG.debug("probe request failed other than with 412: {}", errors.describe(failure));
                return false;
        }
    }
}
