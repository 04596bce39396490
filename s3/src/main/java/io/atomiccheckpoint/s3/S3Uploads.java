package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes objects: one PutObject up to {@code s3.multipartUploadThresholdBytes}, a multipart upload above it.
 * Each request body is a fully read byte array (one part at a time), so a stream that ends early fails
 * before anything becomes visible, and the SDK can resend a body on retry. A create-only write carries
 * {@code If-None-Match: *} on the PutObject or on the CompleteMultipartUpload, the request that makes the
 * object appear.
 */
final class S3Uploads {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3Uploads.class);
    /** How often a create-only write is resent after S3's 409 ConditionalRequestConflict (a concurrent write). */
    private static final int CONFLICT_ATTEMPTS = 5;

    private final S3AsyncClient client;
    private final S3Settings settings;
    private final S3Errors errors;

    S3Uploads(S3AsyncClient client, S3Settings settings, S3Errors errors) {
        this.client = client;
        this.settings = settings;
        this.errors = errors;
    }

    ObjectInfo write(Location location, InputStream data, long length, boolean createOnly, boolean mayAbort) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length + " for " + location);
        }
        if (length <= settings.multipartUploadThreshold() || length == 0) {
            if (length > S3Settings.MAX_BUFFERED_PART) {
                throw new IllegalArgumentException("object of " + length + " bytes is larger than a single PutObject may be");
            }
            byte[] body = readFully(location, data, (int) length, 0, length);
            return putBytes(location, body, createOnly);
        }
        return multipart(location, data, length, createOnly, mayAbort);
    }

    /** One PutObject of {@code body}, create-only if asked. */
    ObjectInfo putBytes(Location location, byte[] body, boolean createOnly) {
        for (int attempt = 1; ; attempt++) {
            try {
                PutObjectResponse response = errors.join(client.putObject(r -> r.bucket(location.bucket())
                        .key(location.key()).contentLength((long) body.length).ifNoneMatch(createOnly ? "*" : null),
                        AsyncRequestBody.fromBytes(body)), "write", location);
                return S3ObjectInfos.of(location.key(), body.length, response.eTag(), S3ObjectInfos.checksums(
                        response.checksumType(), response.checksumCRC32(), response.checksumCRC32C(),
                        response.checksumCRC64NVME(), response.checksumSHA1(), response.checksumSHA256()), null);
            } catch (StoreException e) {
                if (!createOnly || !isConditionalConflict(e) || attempt >= CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ObjectInfo multipart(Location location, InputStream data, long length, boolean createOnly, boolean mayAbort) {
        long partSize = Math.max(settings.multipartPartSize(), ceilDiv(length, 10_000));
        if (partSize > S3Settings.MAX_BUFFERED_PART) {
            throw new IllegalArgumentException("object of " + length + " bytes needs parts larger than "
                    + S3Settings.MAX_BUFFERED_PART + " bytes");
        }
        String uploadId = errors.join(client.createMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)), "write", location).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long offset = 0;
            for (int number = 1; offset < length; number++) {
                int size = (int) Math.min(partSize, length - offset);
                byte[] body = readFully(location, data, size, offset, length);
                int partNumber = number;
                UploadPartResponse part = errors.join(client.uploadPart(r -> r.bucket(location.bucket())
                        .key(location.key()).uploadId(uploadId).partNumber(partNumber).contentLength((long) size)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32), AsyncRequestBody.fromBytes(body)), "write", location);
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.eTag())
                        .checksumCRC32(part.checksumCRC32()).build());
                offset += size;
            }
            CompleteMultipartUploadResponse done = complete(location, uploadId, parts, createOnly, "write");
            completed = true;
            return S3ObjectInfos.of(location.key(), length, done.eTag(), S3ObjectInfos.checksums(done.checksumType(),
                    done.checksumCRC32(), done.checksumCRC32C(), done.checksumCRC64NVME(), done.checksumSHA1(),
                    done.checksumSHA256()), null);
        } finally {
            if (!completed) {
                abort(location, uploadId, mayAbort);
            }
        }
    }

    /** Completes a multipart upload; create-only completions carry {@code If-None-Match: *}. */
    CompleteMultipartUploadResponse complete(Location location, String uploadId, List<CompletedPart> parts,
            boolean createOnly, String operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return errors.join(client.completeMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())
                        .uploadId(uploadId).ifNoneMatch(createOnly ? "*" : null)
                        .multipartUpload(m -> m.parts(parts))), operation, location);
            } catch (StoreException e) {
                if (!createOnly || !isConditionalConflict(e) || attempt >= CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Best effort: an upload left open costs storage until a lifecycle rule removes it, but is never visible.
     * Skipped when {@code mayAbort} is false: on servers whose abort deletes the object at the key.
     */
    void abort(Location location, String uploadId, boolean mayAbort) {
        if (!mayAbort) {
            LOG.warn("left multipart upload {} of {} open: this server's AbortMultipartUpload would delete the object"
                    + " already there", uploadId, location);
            return;
        }
        try {
            client.abortMultipartUpload(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId)).join();
        } catch (RuntimeException ignored) {
            // The original failure is what the caller needs to see.
        }
    }

    private static boolean isConditionalConflict(StoreException e) {
        return S3Errors.status(e.getCause()) == S3Errors.CONFLICT
                && "ConditionalRequestConflict".equals(S3Errors.errorCode(e.getCause()));
    }

    private static byte[] readFully(Location location, InputStream data, int size, long offset, long length) {
        byte[] buffer = new byte[size];
        int filled = 0;
        try {
            while (filled < size) {
                int n = data.read(buffer, filled, size - filled);
                if (n < 0) {
                    throw new StoreException("write", location, "the input ended after " + (offset + filled) + " of "
                            + length + " bytes; nothing was written");
                }
                filled += n;
            }
        } catch (IOException e) {
            throw new StoreException("write", location, "cannot read the input: " + e.getMessage(), e);
        }
        return buffer;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
