package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Finds out, once per bucket, which conditional requests the server enforces (see
 * {@link ConditionalWriteSupport}). It writes two small objects {@code a} and {@code b}, of equal length and
 * distinct contents, below {@code <s3.probe.prefix>/<random id>/}, sends each conditional request with a condition
 * that cannot hold (create-only onto an existing key, or an ETag no object has) and counts it enforced only if the
 * server answers 412 <em>and</em> the object the request addressed still reads back byte for byte as before: a
 * server that answers 412 and writes anyway (LocalStack does so for CopyObject) does not enforce the condition. A
 * damaged object is written again before the next check. It also checks that aborting a multipart upload left the
 * object at its key intact. The probe objects are deleted afterwards, and a delete that failed, or that the service
 * reports failed for a key, is logged with the keys left behind.
 *
 * <p>Where it probes: {@code s3.probe.prefix} at the bucket root; if the principal may not write there (403, as
 * with an IAM policy scoped to a prefix), beside the directory of the object that needed the probe, that is below
 * its grandparent ({@code a/b/c} probes below {@code a/<s3.probe.prefix>/}): never inside the object's own
 * directory, which may be a checkpoint or staging directory that a commit lists and copies.
 *
 * <p>Every write and delete of the probe addresses only those two keys below a fresh random prefix, which no one
 * else uses: that is what makes its unconditional writes, its refused ones the server might not refuse, its abort
 * and its delete safe.
 *
 * <p>It runs only where {@link S3Settings#trustsConditions()} is false: by default when an endpoint override is set
 * (S3-compatible servers and emulators); Amazon S3 itself is trusted to enforce every condition.
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
        if (settings.trustsConditions()) {
            return ConditionalWriteSupport.TRUSTED;
        }
        CompletableFuture<ConditionalWriteSupport> mine = new CompletableFuture<>();
        CompletableFuture<ConditionalWriteSupport> existing = byBucket.putIfAbsent(location.bucket(), mine);
        if (existing != null) {
            return errors.join(existing, "probe", location, deadline);
        }
        List<Location> dirs = probeDirectories(location);
        try {
            ConditionalWriteSupport support = null;
            for (int i = 0; support == null; i++) {
                try {
                    support = probe(dirs.get(i), deadline);
                } catch (Denied denied) {
                    if (i + 1 >= dirs.size()) {
                        throw denied.failure;
                    }
                    LOG.info("the probe may not write below {} ({}); probing below {} instead", dirs.get(i),
                            errors.describe(denied.failure), dirs.get(i + 1));
                }
            }
            mine.complete(support);
            return support;
        } catch (RuntimeException e) {
            byBucket.remove(location.bucket(), mine);
            mine.completeExceptionally(e);
            ErrorKind kind = S3Errors.kindOf(e);
            throw new StoreException(kind, "probe", location, "cannot find out which conditional requests the server"
                    + " enforces (" + S3Settings.PROBE_PREFIX + " names where it writes; "
                    + S3Settings.CONDITIONAL_WRITES + "=trust skips this for a server known to enforce them): "
                    + errors.describe(e), e);
        }
    }

    /**
     * Where to probe, in order: {@code s3.probe.prefix} at the bucket root, then beside the directory of
     * {@code location} (below its grandparent), each with a fresh random id.
     */
    List<Location> probeDirectories(Location location) {
        String id = UUID.randomUUID().toString();
        List<Location> dirs = new ArrayList<>(2);
        dirs.add(location.sameBucket(settings.probePrefix() + "/" + id));
        location.parent().flatMap(Location::parent).filter(g -> !g.isRoot())
                .ifPresent(g -> dirs.add(location.sameBucket(g.key() + "/" + settings.probePrefix() + "/" + id)));
        return dirs;
    }

    /** The support already known for the bucket (probed or trusted), without probing. */
    Optional<ConditionalWriteSupport> known(Location location) {
        if (settings.trustsConditions()) {
            return Optional.of(ConditionalWriteSupport.TRUSTED);
        }
        CompletableFuture<ConditionalWriteSupport> f = byBucket.get(location.bucket());
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
    }

    /** The first write of a probe was refused for lack of permission: try the next place. */
    private static final class Denied extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final StoreException failure;

        Denied(StoreException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private ConditionalWriteSupport probe(Location dir, Deadline deadline) {
        Location a = dir.resolve("a");
        Location b = dir.resolve("b");
        // Equal lengths, distinct bytes: a refused request that wrote anyway shows as changed bytes under the old
        // length and ETag, as LocalStack's CopyObject leaves them, not as a short read.
        String id = dir.name();
        byte[] contentA = content("a", id);
        byte[] contentB = content("b", id);
        byte[] refusedContent = content("x", id);
        try {
            put(a, null, null, contentA, deadline);
        } catch (StoreException e) {
            if (e.kind() == ErrorKind.PERMISSION_DENIED) {
                throw new Denied(e);
            }
            throw e;
        }
        try {
            put(b, null, null, contentB, deadline);
            boolean putObject = refused(() -> put(a, "*", null, refusedContent, deadline))
                    & intact(a, contentA, "PutObject If-None-Match: *", deadline);
            boolean copyObject = refused(() -> errors.join(client.copyObject(r -> r.sourceBucket(a.bucket())
                    .sourceKey(a.key()).destinationBucket(b.bucket()).destinationKey(b.key()).ifNoneMatch("*")
                    .overrideConfiguration(deadline.override("probe", b))), "probe", b, deadline))
                    & intact(b, contentB, "CopyObject If-None-Match: *", deadline);
            boolean[] multipart = multipartConditions(a, b, contentB, deadline);
            boolean abortKeeps = multipart[3];
            boolean putIfMatch = refused(() -> put(a, null, WRONG_ETAG, refusedContent, deadline))
                    & intact(a, contentA, "PutObject If-Match", deadline);
            boolean copyPinned = refused(() -> errors.join(client.copyObject(r -> r.sourceBucket(a.bucket())
                    .sourceKey(a.key()).destinationBucket(b.bucket()).destinationKey(b.key())
                    .copySourceIfMatch(WRONG_ETAG).overrideConfiguration(deadline.override("probe", b))), "probe", b,
                    deadline)) & intact(b, contentB, "CopyObject x-amz-copy-source-if-match", deadline);
            boolean getPinned = refused(() -> errors.join(client.getObject(r -> r.bucket(a.bucket()).key(a.key())
                    .ifMatch(WRONG_ETAG).range("bytes=0-0").overrideConfiguration(deadline.override("probe", a)),
                    AsyncResponseTransformer.toBytes()), "probe", a, deadline))
                    && refused(() -> errors.join(client.headObject(r -> r.bucket(a.bucket()).key(a.key())
                            .ifMatch(WRONG_ETAG).overrideConfiguration(deadline.override("probe", a))), "probe", a,
                            deadline));
            // Last: a server that ignores the ETag deletes a, which nothing above needs any more.
            boolean deletePinned = deleteObjectsKeeps(a, deadline);
            ConditionalWriteSupport support = new ConditionalWriteSupport(putObject, copyObject, multipart[0],
                    putIfMatch, multipart[1], copyPinned, multipart[2], getPinned, abortKeeps, deletePinned, true);
            if (support.enforcesEverything() && abortKeeps) {
                LOG.debug("bucket {} enforces every conditional request ({})", a.bucket(), support);
            } else {
                LOG.warn("the S3 server of bucket {} ignores some conditions; the store refuses requests that need"
                        + " them or takes another way: {}", a.bucket(), support);
            }
            return support;
        } finally {
            deleteProbeObjects(dir, a, b, deadline);
        }
    }

    /** Whether DeleteObjects naming another ETag for {@code a} keeps it (a per-key PreconditionFailed). */
    private boolean deleteObjectsKeeps(Location a, Deadline deadline) {
        errors.join(client.deleteObjects(r -> r.bucket(a.bucket()).delete(Delete.builder().quiet(true)
                .objects(ObjectIdentifier.builder().key(a.key()).eTag(WRONG_ETAG).build()).build())
                .overrideConfiguration(deadline.override("probe", a))), "probe", a, deadline);
        return errors.join(client.headObject(r -> r.bucket(a.bucket()).key(a.key())
                .overrideConfiguration(deadline.override("probe", a))).handle((ok, e) -> e == null), "probe", a,
                deadline);
    }

    private static byte[] content(String name, String id) {
        return ("atomic-checkpoint conditional write probe, object " + name + " of " + id)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Deletes both probe objects; a failed delete, or a key the service reports it could not delete, is logged. */
    private void deleteProbeObjects(Location dir, Location a, Location b, Deadline deadline) {
        try {
            DeleteObjectsResponse deleted = errors.join(client.deleteObjects(r -> r.bucket(a.bucket())
                    .delete(Delete.builder().quiet(true).objects(ObjectIdentifier.builder().key(a.key()).build(),
                            ObjectIdentifier.builder().key(b.key()).build()).build())
                    .overrideConfiguration(deadline.override("probe", dir))), "probe", dir, deadline);
            if (deleted.hasErrors() && !deleted.errors().isEmpty()) {
                LOG.warn("the probe objects {} were left behind below {}: the service could not delete them",
                        deleted.errors().stream().map(e -> errors.quote(e.key()) + " ("
                                + errors.describe(e.code(), e.message()) + ")").collect(Collectors.joining(", ")),
                        dir);
            }
        } catch (RuntimeException e) {
            LOG.warn("the probe objects {} and {} may be left behind: deleting them failed: {}", a, b,
                    errors.describe(e));
        }
    }

    /**
     * Whether {@code location} still holds exactly {@code expected}, read back after a conditional request that
     * should have changed nothing. A missing object, other bytes, or a read that breaks off (a body shorter than
     * its length) mean the request damaged it; it is then written again for the checks that follow. Throttling,
     * timeouts, interrupts and missing permissions say nothing about the condition and fail the probe.
     */
    private boolean intact(Location location, byte[] expected, String request, Deadline deadline) {
        String damage;
        try {
            byte[] now = errors.join(client.getObject(r -> r.bucket(location.bucket()).key(location.key())
                    .overrideConfiguration(deadline.override("probe", location)),
                    AsyncResponseTransformer.toBytes()), "probe", location, deadline).asByteArray();
            if (Arrays.equals(now, expected)) {
                return true;
            }
            damage = "holds " + now.length + " other bytes";
        } catch (io.atomiccheckpoint.store.ObjectNotFoundException gone) {
            damage = "is gone";
        } catch (StoreException failure) {
            switch (failure.kind()) {
                case THROTTLED:
                case TIMEOUT:
                case INTERRUPTED:
                case PERMISSION_DENIED:
                case UNAUTHENTICATED:
                    throw failure;
                default:
                    damage = "cannot be read back (" + errors.describe(failure) + ")";
            }
        }
        LOG.warn("after {} the probe object {} {}: the server does not keep the object a refused (or aborted)"
                + " request addressed, so the store does not rely on that request", request, location, damage);
        put(location, null, null, expected, deadline);
        return false;
    }

    private void put(Location location, String ifNoneMatch, String ifMatch, byte[] content, Deadline deadline) {
        errors.join(client.putObject(r -> r.bucket(location.bucket()).key(location.key()).ifNoneMatch(ifNoneMatch)
                .ifMatch(ifMatch).overrideConfiguration(deadline.override("probe", location)),
                AsyncRequestBody.fromBytes(content)), "probe", location, deadline);
    }

    /**
     * In one multipart upload onto the existing {@code target}: an UploadPartCopy pinned to a wrong source ETag,
     * then, with a good part, a create-only CompleteMultipartUpload and one with a wrong {@code If-Match}, each
     * followed by a read-back of the target; then the upload is aborted and the target read back once more. Returns
     * {create-only complete, If-Match complete, pinned part copy, abort keeps the target} enforced. A server that
     * completed the upload despite a condition gets a second upload just to see what its abort does.
     */
    private boolean[] multipartConditions(Location source, Location target, byte[] targetContent,
            Deadline deadline) {
        String uploadId = createUpload(target, deadline);
        boolean completed = false;
        boolean createOnlyEnforced;
        boolean ifMatchEnforced;
        boolean partPinned;
        try {
            partPinned = refused(() -> errors.join(client.uploadPartCopy(r -> copyPart(r, source, target,
                    uploadId).copySourceIfMatch(WRONG_ETAG).overrideConfiguration(deadline.override("probe", target))),
                    "probe", target, deadline));
            String etag = errors.join(client.uploadPartCopy(r -> copyPart(r, source, target, uploadId)
                    .overrideConfiguration(deadline.override("probe", target))), "probe", target, deadline)
                    .copyPartResult().eTag();
            List<CompletedPart> parts = List.of(CompletedPart.builder().partNumber(1).eTag(etag).build());
            Completion createOnly = complete(target, uploadId, parts, "*", null, deadline);
            completed = createOnly == Completion.COMPLETED;
            createOnlyEnforced = createOnly == Completion.REFUSED
                    & intact(target, targetContent, "CompleteMultipartUpload If-None-Match: *", deadline);
            // After a completion the upload is gone, so the If-Match check cannot run: counted as not enforced,
            // which errs on the safe side for a server that ignores If-None-Match anyway.
            Completion ifMatch = completed ? Completion.FAILED
                    : complete(target, uploadId, parts, null, WRONG_ETAG, deadline);
            completed |= ifMatch == Completion.COMPLETED;
            ifMatchEnforced = ifMatch == Completion.REFUSED
                    & intact(target, targetContent, "CompleteMultipartUpload If-Match", deadline);
        } finally {
            if (!completed) {
                abort(target, uploadId, deadline);
            }
        }
        if (completed) {
            abort(target, createUpload(target, deadline), deadline);
        }
        boolean abortKeeps = intact(target, targetContent, "AbortMultipartUpload", deadline);
        return new boolean[] {createOnlyEnforced, ifMatchEnforced, partPinned, abortKeeps};
    }

    private String createUpload(Location target, Deadline deadline) {
        return errors.join(client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                .overrideConfiguration(deadline.override("probe", target))), "probe", target, deadline).uploadId();
    }

    /** Joined, so that the read-back that follows sees the abort's effect. */
    private void abort(Location target, String uploadId, Deadline deadline) {
        try {
            errors.join(client.abortMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                    .uploadId(uploadId).overrideConfiguration(deadline.override("probe", target))), "probe",
                    target, deadline);
        } catch (StoreException e) {
            LOG.debug("could not abort the probe's multipart upload: {}", errors.describe(e));
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
