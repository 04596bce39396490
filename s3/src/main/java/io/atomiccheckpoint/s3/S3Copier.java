package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResult;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Server-side copies: CopyObject up to {@code s3.multipartCopyThresholdBytes} (at most S3's 5 GiB), and above it,
 * or for create-only copies where the server ignores {@code If-None-Match} on CopyObject, a multipart upload of
 * UploadPartCopy ranges.
 *
 * <p>What makes each write safe: a create-only copy carries {@code If-None-Match: *} on the request that makes
 * the target appear (the CopyObject or the CompleteMultipartUpload); an overwriting copy has no condition on the
 * target (the caller owns it). A pinned copy carries {@code x-amz-copy-source-if-match: "<etag>"} on the CopyObject
 * and on every UploadPartCopy, so a source replaced since it was listed fails the copy, never mixes two versions.
 * An unpinned multipart copy pins its parts to the ETag a HEAD of the source saw, for the same reason. An empty
 * source on the multipart path (UploadPartCopy cannot address a byte range of an empty object) is a HEAD of the
 * source, pinned with {@code If-Match} if the copy is, and a PutObject of no bytes with the destination's
 * condition: a copy of the version that HEAD saw.
 *
 * <p>Results, as the SPI requires, are observed: the ETag, checksums and time the copy's response returned, with
 * the size of the pinned source version, which the service enforced in the request (the caller's listed size,
 * or a HEAD's); S3's copy responses carry no size. An unpinned copy's result is a HEAD of the target, checked to
 * be the ETag the copy returned.
 *
 * <p>A 412 of a pinned create-only CopyObject does not say which condition failed; the store then looks at the
 * source once more, only to name the right one in the message.
 */
final class S3Copier {
    private final S3AsyncClient client;
    private final S3Settings settings;
    private final S3Errors errors;
    private final S3Uploads uploads;
    private final S3Conditions conditions;

    S3Copier(S3AsyncClient client, S3Settings settings, S3Errors errors, S3Uploads uploads, S3Conditions conditions) {
        this.client = client;
        this.settings = settings;
        this.errors = errors;
        this.uploads = uploads;
        this.conditions = conditions;
    }

    ObjectInfo copy(Location source, Location target, CopyOptions options, Deadline deadline) {
        boolean create = options.destination() instanceof PutMode.Create;
        String pin = options.sourceVersion();
        String pinHeader = pin == null ? null : S3ObjectInfos.etagHeader(pin, "copy", source);
        ConditionalWriteSupport support = create || pin != null ? conditions.support(target, deadline) : null;
        // The source version to copy: its size picks the method, its ETag pins multipart parts.
        long size = options.sourceSize();
        String etag = pin;
        if (size < 0) {
            ObjectInfo head = headSource(source, target, pin, deadline);
            size = head.size();
            etag = head.version().orElse(null);
        }
        boolean multipart = size > settings.multipartCopyThreshold() || (create
                && (settings.createOnlyCopy() == S3Settings.CreateOnlyCopy.MULTIPART_COPY
                        || (settings.createOnlyCopy() == S3Settings.CreateOnlyCopy.AUTO && !support.copyObject())));
        if (!multipart) {
            if (pin != null) {
                S3Conditions.require(support.copyObjectSourceIfMatch(), "copy", target, "x-amz-copy-source-if-match",
                        "CopyObject", support);
            }
            if (create) {
                // With auto, CopyObject was chosen only because the probe saw it enforced; copy-object asks for it
                // whatever the probe saw, and gets it only where it is enforced or the unsafe opt-in is set.
                conditions.requireCreateOnly(support.copyObject(), "copy", target, "CopyObject", support, deadline);
            }
            return copyObject(source, target, create, pin, pinHeader, size, deadline);
        }
        if (etag == null) {
            // An unpinned copy whose size came from the caller: the parts need an ETag to keep to one version.
            ObjectInfo head = headSource(source, target, null, deadline);
            size = head.size();
            etag = head.version().orElse(null);
        }
        boolean mayAbort = support != null ? support.abortKeepsExistingObject() : conditions.mayAbort(target);
        if (size == 0) {
            return copyEmpty(source, target, options.destination(), pin, pinHeader, support, deadline);
        }
        if (create) {
            conditions.requireCreateOnly(support.completeMultipartUpload(), "copy", target, "CompleteMultipartUpload",
                    support, deadline);
        }
        if (pin != null) {
            S3Conditions.require(support.uploadPartCopySourceIfMatch(), "copy", target, "x-amz-copy-source-if-match",
                    "UploadPartCopy", support);
        }
        return multipartCopy(source, target, options.destination(), pin, etag, size, mayAbort, deadline);
    }

    /** The source as a HEAD sees it; a pinned copy fails here already if the source is another version now. */
    private ObjectInfo headSource(Location source, Location target, String pin, Deadline deadline) {
        ObjectInfo head = conditions.head(source, null, "copy", deadline)
                .orElseThrow(() -> new ObjectNotFoundException("copy", source, null));
        if (pin != null && !head.version().equals(Optional.of(S3ObjectInfos.etag(pin)))) {
            throw sourceChanged(source, target, pin, null);
        }
        return head;
    }

    /**
     * CopyObject with {@code If-None-Match: *} for a create-only copy and {@code x-amz-copy-source-if-match} for
     * a pinned one.
     */
    private ObjectInfo copyObject(Location source, Location target, boolean create, String pin, String pinHeader,
            long size, Deadline deadline) {
        CopyObjectResult result = null;
        for (int attempt = 1; result == null; attempt++) {
            try {
                result = errors.join(client.copyObject(r -> r.sourceBucket(source.bucket()).sourceKey(source.key())
                        .destinationBucket(target.bucket()).destinationKey(target.key())
                        .ifNoneMatch(create ? "*" : null).copySourceIfMatch(pinHeader)
                        .overrideConfiguration(deadline.override("copy", target))), "copy", target, deadline)
                        .copyObjectResult();
            } catch (StoreException e) {
                // As for puts: a concurrent request interfered before the conditions were judged; send it again.
                boolean conflict = e.kind() == ErrorKind.CONFLICT
                        && "ConditionalRequestConflict".equals(S3Errors.errorCode(e));
                if (!conflict || (!create && pin == null) || attempt >= S3Uploads.CONFLICT_ATTEMPTS) {
                    throw copyFailure(source, target, create, pin, e, deadline);
                }
            }
        }
        if (pin == null) {
            return observe(target, result.eTag(), deadline);
        }
        return S3ObjectInfos.of(target.key(), size, result.eTag(), S3ObjectInfos.checksums(result.checksumType(),
                result.checksumCRC32(), result.checksumCRC32C(), result.checksumCRC64NVME(), result.checksumSHA1(),
                result.checksumSHA256()), result.lastModified());
    }

    /** An empty source: a HEAD of it (pinned with If-Match if the copy is), then a PutObject of no bytes. */
    private ObjectInfo copyEmpty(Location source, Location target, PutMode destination, String pin, String pinHeader,
            ConditionalWriteSupport support, Deadline deadline) {
        if (pin != null) {
            S3Conditions.require(support.getIfMatch(), "copy", target, "If-Match", "HeadObject", support);
            ObjectInfo head;
            try {
                head = conditions.head(source, pinHeader, "copy", deadline)
                        .orElseThrow(() -> new ObjectNotFoundException("copy", source, null));
            } catch (PreconditionFailedException changed) {
                throw sourceChanged(source, target, pin, changed);
            }
            if (head.size() != 0) {
                throw new StoreException(ErrorKind.INVALID_INPUT, "copy", target, "the copy was pinned to version " + pin
                        + " of " + source + " with size 0, but that version has " + head.size() + " bytes");
            }
        }
        if (destination instanceof PutMode.Create) {
            conditions.requireCreateOnly(support.putObject(), "copy", target, "PutObject", support, deadline);
        }
        try {
            return uploads.putBytes(target, new byte[0], destination, deadline);
        } catch (StoreException e) {
            throw e.kind() == ErrorKind.PRECONDITION_FAILED ? new PreconditionFailedException("copy", target, e) : e;
        }
    }

    /**
     * A multipart copy: CreateMultipartUpload (writes nothing visible), UploadPartCopy parts each pinned to the
     * source's ETag, CompleteMultipartUpload with the destination's condition.
     */
    private ObjectInfo multipartCopy(Location source, Location target, PutMode destination, String pin, String etag,
            long size, boolean mayAbort, Deadline deadline) {
        String partPin = S3ObjectInfos.etagHeader(etag, "copy", source);
        long partSize = Math.max(settings.multipartCopyPartSize(), S3Uploads.ceilDiv(size, 10_000));
        String uploadId = errors.join(client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                .overrideConfiguration(deadline.override("copy", target))), "copy", target, deadline).uploadId();
        boolean completed = false;
        try {
            List<CompletableFuture<UploadPartCopyResponse>> pending = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partSize) {
                int partNumber = pending.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(offset + partSize, size) - 1);
                // The HTTP client's connection limit bounds how many of these run at once.
                pending.add(client.uploadPartCopy(r -> r.sourceBucket(source.bucket()).sourceKey(source.key())
                        .copySourceIfMatch(partPin).copySourceRange(range).destinationBucket(target.bucket())
                        .destinationKey(target.key()).uploadId(uploadId).partNumber(partNumber)
                        .overrideConfiguration(deadline.override("copy", target))));
            }
            List<CompletedPart> parts = new ArrayList<>(pending.size());
            for (int i = 0; i < pending.size(); i++) {
                UploadPartCopyResponse part;
                try {
                    part = errors.join(pending.get(i), "copy", target, deadline);
                } catch (StoreException e) {
                    pending.forEach(f -> f.cancel(true));
                    if (e.kind() == ErrorKind.PRECONDITION_FAILED) {
                        throw pin != null ? sourceChanged(source, target, pin, e)
                                : new StoreException(ErrorKind.CONFLICT, "copy", target, "the source " + source
                                        + " was replaced while it was being copied", e);
                    }
                    throw S3Errors.isMissingKey(e) ? new ObjectNotFoundException("copy", source, e) : e;
                }
                parts.add(CompletedPart.builder().partNumber(i + 1).eTag(part.copyPartResult().eTag()).build());
            }
            CompleteMultipartUploadResponse done = uploads.complete(target, uploadId, parts, destination, "copy",
                    deadline);
            completed = true;
            if (pin == null) {
                return observe(target, done.eTag(), deadline);
            }
            return S3ObjectInfos.of(target.key(), size, done.eTag(), S3ObjectInfos.checksums(done.checksumType(),
                    done.checksumCRC32(), done.checksumCRC32C(), done.checksumCRC64NVME(), done.checksumSHA1(),
                    done.checksumSHA256()), null);
        } finally {
            if (!completed) {
                uploads.abort(target, uploadId, mayAbort);
            }
        }
    }

    /** The result of an unpinned copy: a HEAD of the target, which must still be the copy the service made. */
    private ObjectInfo observe(Location target, String copyEtag, Deadline deadline) {
        Optional<ObjectInfo> there = conditions.head(target, null, "copy", deadline);
        String expected = S3ObjectInfos.etag(copyEtag);
        if (there.isEmpty() || expected == null || !there.get().version().equals(Optional.of(expected))) {
            throw new StoreException(ErrorKind.CONFLICT, "copy", target, "the copy succeeded (ETag " + expected
                    + "), but the target was " + (there.isEmpty() ? "deleted" : "replaced") + " before it could be"
                    + " observed: another writer raced this copy");
        }
        return there.get();
    }

    /** A CopyObject failure in the contract's terms: which object is missing, which condition failed. */
    private StoreException copyFailure(Location source, Location target, boolean create, String pin, StoreException e,
            Deadline deadline) {
        if (S3Errors.isMissingKey(e)) {
            // The target of a CopyObject need not exist: a missing key is the source.
            return new ObjectNotFoundException("copy", source, e);
        }
        if (e.kind() != ErrorKind.PRECONDITION_FAILED) {
            return e;
        }
        if (pin == null) {
            return new PreconditionFailedException("copy", target, e);
        }
        if (!create) {
            return sourceChanged(source, target, pin, e);
        }
        // Both conditions were sent and S3 does not say which failed; the service decided, this only names it.
        try {
            Optional<ObjectInfo> now = conditions.head(source, null, "copy", deadline);
            if (now.isEmpty() || !now.get().version().equals(Optional.of(S3ObjectInfos.etag(pin)))) {
                return sourceChanged(source, target, pin, e);
            }
            return new PreconditionFailedException("copy", target, e);
        } catch (StoreException diagnosis) {
            e.addSuppressed(diagnosis);
            return new PreconditionFailedException("copy", target, "refused: an object exists at the target, or the"
                    + " source " + source + " is no longer version " + pin, e);
        }
    }

    private static PreconditionFailedException sourceChanged(Location source, Location target, String pin,
            Throwable cause) {
        return new PreconditionFailedException("copy", target, "the source " + source + " is no longer version " + pin
                + ": it changed since it was listed", cause);
    }
}
