package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes objects: one PutObject up to {@code s3.multipartUploadThresholdBytes}, a multipart upload above it.
 * Each request body is a fully read byte array (one part at a time), so a payload that ends early fails before
 * anything becomes visible, and the SDK can resend a body on retry.
 *
 * <p>The mode's condition rides on the request that makes the object appear, the PutObject or the
 * CompleteMultipartUpload: {@link PutMode#CREATE} sends {@code If-None-Match: *}, {@link PutMode#update} sends
 * {@code If-Match: "<etag>"}, {@link PutMode#OVERWRITE} sends neither (the caller owns the key). CreateMultipartUpload
 * and UploadPart write nothing visible, so they need no condition. A 412, or a 404 for an update (the object is
 * gone), is a {@link PreconditionFailedException}; S3's 409 ConditionalRequestConflict (a concurrent request
 * interfered before the condition was judged) is re-sent a few times, then reported as
 * {@link ErrorKind#CONFLICT}.
 *
 * <p>Results are the service's answer: the ETag and checksums of the response; the size is the response's
 * object size where S3 sends one, else the Content-Length the service accepted for the PutObject (it refuses a
 * body of another length), or for a multipart upload the sum of the parts the CompleteMultipartUpload named by
 * their ETags (the service refuses parts whose ETags do not match).
 */
final class S3Uploads {
    private static final Logger LOG = LoggerFactory.getLogger(S3Uploads.class);
    /** How often a conditional write is sent in all when S3 answers 409 ConditionalRequestConflict. */
    static final int CONFLICT_ATTEMPTS = 5;

    private final S3AsyncClient client;
    private final S3Settings settings;
    private final S3Errors errors;

    S3Uploads(S3AsyncClient client, S3Settings settings, S3Errors errors) {
        this.client = client;
        this.settings = settings;
        this.errors = errors;
    }

    /**
     * Writes {@code payload}; {@code mayAbort} is false on servers whose AbortMultipartUpload deletes the object
     * already at the key, where a failed multipart upload is left open (never visible) instead.
     */
    ObjectInfo put(Location location, Payload payload, PutMode mode, boolean mayAbort, Deadline deadline) {
        long length = payload.length();
        if (length <= settings.multipartUploadThreshold() || length == 0) {
            byte[] body = payload instanceof Payload.Bytes ? ((Payload.Bytes) payload).data()
                    : readAll(location, payload, (int) length);
            return putBytes(location, body, mode, deadline);
        }
        try (InputStream in = payload.open()) {
            return multipart(location, in, length, mode, mayAbort, deadline);
        } catch (IOException e) {
            throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, "cannot close the input: " + e, e);
        }
    }

    /** One PutObject of {@code body} with the mode's condition. */
    ObjectInfo putBytes(Location location, byte[] body, PutMode mode, Deadline deadline) {
        String ifMatch = mode instanceof PutMode.Update
                ? S3ObjectInfos.etagHeader(((PutMode.Update) mode).version(), "put", location) : null;
        PutObjectResponse response = conditional(mode, "put", location, () -> withBody(body.length, location,
                () -> errors.join(client.putObject(r -> r.bucket(location.bucket()).key(location.key())
                        .contentLength((long) body.length).ifNoneMatch(mode instanceof PutMode.Create ? "*" : null)
                        .ifMatch(ifMatch).overrideConfiguration(deadline.override("put", location)),
                        AsyncRequestBody.fromBytesUnsafe(body)), "put", location, deadline)));
        long size = response.size() != null ? response.size() : body.length;
        return S3ObjectInfos.of(location.key(), size, response.eTag(), S3ObjectInfos.checksums(response.checksumType(),
                response.checksumCRC32(), response.checksumCRC32C(), response.checksumCRC64NVME(),
                response.checksumSHA1(), response.checksumSHA256()), null);
    }

    private ObjectInfo multipart(Location location, InputStream data, long length, PutMode mode, boolean mayAbort,
            Deadline deadline) {
        long partSize = Math.max(settings.multipartPartSize(), ceilDiv(length, 10_000));
        if (partSize > S3Settings.MAX_BUFFERED_PART) {
            throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, "an object of " + length
                    + " bytes needs parts larger than " + S3Settings.MAX_BUFFERED_PART + " bytes");
        }
        String uploadId = errors.join(client.createMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())
                .checksumAlgorithm(ChecksumAlgorithm.CRC32).overrideConfiguration(deadline.override("put", location))),
                "put", location, deadline).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long offset = 0;
            for (int number = 1; offset < length; number++) {
                int size = (int) Math.min(partSize, length - offset);
                byte[] body = readFully(location, data, size, offset, length);
                int partNumber = number;
                UploadPartResponse part = withBody(size, location, () -> errors.join(client.uploadPart(r -> r
                        .bucket(location.bucket()).key(location.key()).uploadId(uploadId).partNumber(partNumber)
                        .contentLength((long) size).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                        .overrideConfiguration(deadline.override("put", location)),
                        AsyncRequestBody.fromBytesUnsafe(body)), "put", location, deadline));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.eTag())
                        .checksumCRC32(part.checksumCRC32()).build());
                offset += size;
            }
            CompleteMultipartUploadResponse done = complete(location, uploadId, parts, mode, "put", deadline);
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

    /**
     * Completes a multipart upload with the mode's condition ({@code If-None-Match: *} or {@code If-Match}).
     *
     * <p>When a response is lost, the SDK sends the CompleteMultipartUpload again; the first one completed, so the
     * second is answered NoSuchUpload: the upload id, which no one else knows, is spent. Then the object at the key
     * is checked before the failure is reported: if its ETag is the one this upload's parts make (the MD5 of their
     * MD5s, then {@code -<parts>}), the upload is this call's own and it succeeded. A 412 is never taken for one's
     * own completion: another writer's upload of the same bytes has the same ETag, and a create-only write must then
     * fail (the commit counts such an object as already in place by its own comparison).
     */
    CompleteMultipartUploadResponse complete(Location location, String uploadId, List<CompletedPart> parts,
            PutMode mode, String operation, Deadline deadline) {
        String ifMatch = mode instanceof PutMode.Update
                ? S3ObjectInfos.etagHeader(((PutMode.Update) mode).version(), operation, location) : null;
        try {
            return conditional(mode, operation, location, () -> errors.join(client.completeMultipartUpload(r -> r
                    .bucket(location.bucket()).key(location.key()).uploadId(uploadId)
                    .ifNoneMatch(mode instanceof PutMode.Create ? "*" : null).ifMatch(ifMatch)
                    .multipartUpload(m -> m.parts(parts)).overrideConfiguration(deadline.override(operation, location))),
                    operation, location, deadline));
        } catch (StoreException e) {
            if (!"NoSuchUpload".equals(S3Errors.errorCode(e))) {
                throw e;
            }
            CompleteMultipartUploadResponse own = completedEarlier(location, parts, operation, deadline);
            if (own == null) {
                throw e;
            }
            return own;
        }
    }

    /** The object at {@code location} as a completion response if this upload's parts made it, else null. */
    private CompleteMultipartUploadResponse completedEarlier(Location location, List<CompletedPart> parts,
            String operation, Deadline deadline) {
        String expected = multipartEtag(parts);
        if (expected == null) {
            return null;
        }
        HeadObjectResponse head;
        try {
            head = errors.join(client.headObject(r -> r.bucket(location.bucket()).key(location.key())
                    .checksumMode(ChecksumMode.ENABLED).overrideConfiguration(deadline.override(operation, location))),
                    operation, location, deadline);
        } catch (StoreException notThere) {
            return null;
        }
        if (head.eTag() == null || !expected.equalsIgnoreCase(head.eTag().replace("\"", ""))) {
            return null;
        }
        LOG.info("{} of {}: the completion's response was lost; the object there is this upload's own ({})",
                operation, location, expected);
        return CompleteMultipartUploadResponse.builder().bucket(location.bucket()).key(location.key())
                .eTag(head.eTag()).checksumType(head.checksumType()).checksumCRC32(head.checksumCRC32())
                .checksumCRC32C(head.checksumCRC32C()).checksumCRC64NVME(head.checksumCRC64NVME())
                .checksumSHA1(head.checksumSHA1()).checksumSHA256(head.checksumSHA256()).build();
    }

    /**
     * The ETag S3 gives the object a multipart upload of {@code parts} completes: the hex MD5 of the parts' binary
     * MD5s, then {@code -} and the number of parts; null if a part's ETag is not an MD5 (SSE-KMS, for example), where
     * no own completion can be recognised and the failure stands.
     */
    static String multipartEtag(List<CompletedPart> parts) {
        try {
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            for (CompletedPart part : parts) {
                String hex = part.eTag() == null ? "" : part.eTag().replace("\"", "");
                if (!hex.matches("[0-9a-fA-F]{32}")) {
                    return null;
                }
                md5.update(java.util.HexFormat.of().parseHex(hex));
            }
            return java.util.HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
        } catch (java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    /**
     * Sends a request carrying the mode's condition, re-sending it on 409 ConditionalRequestConflict, and names
     * the condition in a refusal.
     */
    /**
     * Sends a request with a body of {@code length} bytes; if the SDK gave it {@code Expect: 100-continue}, a
     * failure that a server mishandling that header causes says so.
     */
    private <T> T withBody(long length, Location location, Supplier<T> request) {
        try {
            return request.get();
        } catch (StoreException e) {
            if (settings.expectContinue() && length >= S3Settings.EXPECT_CONTINUE_THRESHOLD) {
                throw errors.withExpectContinueHint(e, "put", location);
            }
            throw e;
        }
    }

    private <T> T conditional(PutMode mode, String operation, Location location, Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (StoreException e) {
                if (mode instanceof PutMode.Overwrite) {
                    throw e;
                }
                if (e.kind() == ErrorKind.CONFLICT && "ConditionalRequestConflict".equals(S3Errors.errorCode(e))
                        && attempt < CONFLICT_ATTEMPTS) {
                    continue;
                }
                throw refusal(mode, operation, location, e);
            }
        }
    }

    /** A failed conditional write as the contract names it. */
    static StoreException refusal(PutMode mode, String operation, Location location, StoreException e) {
        if (mode instanceof PutMode.Create && e.kind() == ErrorKind.PRECONDITION_FAILED) {
            return new PreconditionFailedException(operation, location, e);
        }
        if (mode instanceof PutMode.Update) {
            String expected = ((PutMode.Update) mode).version();
            if (e.kind() == ErrorKind.PRECONDITION_FAILED) {
                return new PreconditionFailedException(operation, location, "an update expected version " + expected
                        + ", but the object is another version now", e);
            }
            if (S3Errors.isMissingKey(e)) {
                // If-Match onto a missing key is a 404 on S3: the condition did not hold.
                return new PreconditionFailedException(operation, location, "an update expected version " + expected
                        + ", but there is no object", e);
            }
        }
        return e;
    }

    /**
     * Best effort: an upload left open costs storage until a lifecycle rule removes it, but is never visible.
     * AbortMultipartUpload addresses only this upload id, which no one else has; it is skipped when
     * {@code mayAbort} is false, on servers whose abort deletes the object already at the key.
     */
    void abort(Location location, String uploadId, boolean mayAbort) {
        if (!mayAbort) {
            LOG.warn("left multipart upload {} of {} open: this server's AbortMultipartUpload would delete the object"
                    + " already there", uploadId, location);
            return;
        }
        try {
            // Not bounded by the operation's deadline, which may be what failed it: by the SDK's own timeouts.
            client.abortMultipartUpload(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId))
                    .get(settings.attemptTimeout().toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // The original failure is what the caller needs to see.
        }
    }

    private static byte[] readAll(Location location, Payload payload, int length) {
        try (InputStream in = payload.open()) {
            return readFully(location, in, length, 0, length);
        } catch (IOException e) {
            throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, "cannot close the input: " + e, e);
        }
    }

    private static byte[] readFully(Location location, InputStream data, int size, long offset, long length) {
        byte[] buffer = new byte[size];
        int filled = 0;
        try {
            while (filled < size) {
                int n = data.read(buffer, filled, size - filled);
                if (n < 0) {
                    throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, "the input ended after "
                            + (offset + filled) + " of " + length + " bytes; nothing was written");
                }
                filled += n;
            }
        } catch (IOException e) {
            if (e.getClass() == java.io.InterruptedIOException.class
                    || e instanceof java.nio.channels.ClosedByInterruptException) {
                Thread.currentThread().interrupt();
                throw new StoreException(ErrorKind.INTERRUPTED, "put", location, "interrupted while reading the input",
                        e);
            }
            throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, "cannot read the input: " + e, e);
        }
        return buffer;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
