package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResult;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Server-side copies: CopyObject up to {@code s3.multipartCopyThresholdBytes} (at most S3's 5 GiB), and
 * above it a multipart upload of UploadPartCopy ranges, every part pinned to the source's ETag so a source
 * replaced mid-copy fails the copy instead of mixing two objects. Create-only copies carry
 * {@code If-None-Match: *} on the CopyObject or on the CompleteMultipartUpload.
 */
final class S3Copier {
    private final S3AsyncClient client;
    private final S3Settings settings;
    private final S3Errors errors;
    private final S3Uploads uploads;

    S3Copier(S3AsyncClient client, S3Settings settings, S3Errors errors, S3Uploads uploads) {
        this.client = client;
        this.settings = settings;
        this.errors = errors;
        this.uploads = uploads;
    }

    /** Whether a copy of {@code size} bytes takes the multipart path regardless of the create-only strategy. */
    boolean needsMultipart(long size) {
        return size > settings.multipartCopyThreshold();
    }

    ObjectInfo copyObject(Location source, ObjectInfo sourceInfo, Location target, boolean createOnly) {
        CopyObjectResult result = errors.join(client.copyObject(r -> r.sourceBucket(source.bucket())
                .sourceKey(source.key()).destinationBucket(target.bucket()).destinationKey(target.key())
                .ifNoneMatch(createOnly ? "*" : null)), "copy", target).copyObjectResult();
        return S3ObjectInfos.of(target.key(), sourceInfo.size(), result.eTag(), S3ObjectInfos.checksums(
                result.checksumType(), result.checksumCRC32(), result.checksumCRC32C(), result.checksumCRC64NVME(),
                result.checksumSHA1(), result.checksumSHA256()), result.lastModified());
    }

    ObjectInfo multipartCopy(Location source, ObjectInfo sourceInfo, Location target, boolean createOnly,
            boolean mayAbort) {
        long size = sourceInfo.size();
        if (size == 0) {
            // UploadPartCopy cannot address a byte range of an empty object; its content is known.
            return uploads.putBytes(target, new byte[0], createOnly);
        }
        String sourceEtag = "\"" + sourceInfo.version().orElseThrow(() -> new StoreException("copy", source,
                "the source has no ETag to pin the copy to")) + "\"";
        long partSize = Math.max(settings.multipartCopyPartSize(), S3Uploads.ceilDiv(size, 10_000));
        String uploadId = errors.join(client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())),
                "copy", target).uploadId();
        boolean completed = false;
        try {
            List<CompletableFuture<UploadPartCopyResponse>> pending = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partSize) {
                int partNumber = pending.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(offset + partSize, size) - 1);
                // The HTTP client's connection limit bounds how many of these run at once.
                pending.add(client.uploadPartCopy(r -> r.sourceBucket(source.bucket()).sourceKey(source.key())
                        .copySourceIfMatch(sourceEtag).copySourceRange(range).destinationBucket(target.bucket())
                        .destinationKey(target.key()).uploadId(uploadId).partNumber(partNumber)));
            }
            List<CompletedPart> parts = new ArrayList<>(pending.size());
            for (int i = 0; i < pending.size(); i++) {
                UploadPartCopyResponse part;
                try {
                    part = errors.join(pending.get(i), "copy", source);
                } catch (PreconditionFailedException changed) {
                    throw new StoreException("copy", source, "the source changed while it was being copied to " + target,
                            changed);
                }
                parts.add(CompletedPart.builder().partNumber(i + 1).eTag(part.copyPartResult().eTag()).build());
            }
            CompleteMultipartUploadResponse done = uploads.complete(target, uploadId, parts, createOnly, "copy");
            completed = true;
            return S3ObjectInfos.of(target.key(), size, done.eTag(), S3ObjectInfos.checksums(done.checksumType(),
                    done.checksumCRC32(), done.checksumCRC32C(), done.checksumCRC64NVME(), done.checksumSHA1(),
                    done.checksumSHA256()), null);
        } finally {
            if (!completed) {
                uploads.abort(target, uploadId, mayAbort);
            }
        }
    }
}
