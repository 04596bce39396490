package io.atomiccheckpoint.azure;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Writes one blob either with a single Put Blob (up to {@code azure.upload.singleMaxBytes}) or as staged blocks
 * committed with Put Block List. The put's condition goes on the request that makes the blob visible (Put Blob
 * or Put Block List), so the service decides it atomically with the write: {@link PutMode#CREATE} sends
 * {@code If-None-Match: *}, {@link PutMode#update} {@code If-Match: <etag>}, {@link PutMode#OVERWRITE} nothing.
 * Staged blocks are invisible until committed, so staging them needs no condition; their IDs are unique per
 * upload, so a racing writer cannot commit this upload's blocks. The whole-blob MD5 is set as the blob's
 * Content-MD5 property on both paths; every request body carries its transactional MD5.
 */
final class BlobUploader {
    /** Put Block List accepts at most this many blocks. */
    static final int MAX_BLOCKS = 50_000;

    private final long singleUploadMaxBytes;
    private final long blockBytes;

    BlobUploader(long singleUploadMaxBytes, long blockBytes) {
        this.singleUploadMaxBytes = singleUploadMaxBytes;
        this.blockBytes = blockBytes;
    }

    /** Whether a write of {@code length} bytes takes the staged-block path. */
    boolean isStaged(long length) {
        return length > singleUploadMaxBytes;
    }

    /** The request conditions that enforce {@code mode}, or null for none. */
    static BlobRequestConditions conditions(PutMode mode) {
        if (mode instanceof PutMode.Create) {
            return new BlobRequestConditions().setIfNoneMatch("*");
        }
        if (mode instanceof PutMode.Update) {
            return new BlobRequestConditions().setIfMatch(BlobObjectInfo.quote(((PutMode.Update) mode).version()));
        }
        return null;
    }

    /**
     * Uploads {@code payload}; SDK exceptions propagate for the caller to translate.
     *
     * @return the blob as the service's answer describes it: its ETag, Last-Modified and, for a Put Blob, the
     *     Content-MD5 the service computed; the size is the number of bytes the service accepted as the blob
     */
    ObjectInfo upload(BlockBlobClient blob, Location location, Payload payload, PutMode mode, Deadline deadline) {
        BlobRequestConditions conditions = conditions(mode);
        long length = payload.length();
        if (!isStaged(length)) {
            byte[] bytes = payload instanceof Payload.Bytes ? ((Payload.Bytes) payload).data()
                    : readExactly(payload, location, (int) length);
            return single(blob, location, bytes, conditions, deadline);
        }
        try (InputStream in = payload.open()) {
            return staged(blob, location, in, length, conditions, deadline);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectInfo single(BlockBlobClient blob, Location location, byte[] bytes,
            BlobRequestConditions conditions, Deadline deadline) {
        byte[] md5 = md5().digest(bytes);
        Response<BlockBlobItem> response = blob.uploadWithResponse(
                new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes))
                        .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                        .setContentMd5(md5)
                        .setRequestConditions(conditions), deadline.remaining(), Context.NONE);
        // A Put Blob's body is the whole blob, so the checksums the service returns for it describe the content.
        return BlobObjectInfo.ofResponse(location.key(), bytes.length, response.getHeaders(), true);
    }

    private ObjectInfo staged(BlockBlobClient blob, Location location, InputStream data, long length,
            BlobRequestConditions conditions, Deadline deadline) {
        long blockSize = Math.max(blockBytes, (length + MAX_BLOCKS - 1) / MAX_BLOCKS);
        if (blockSize > AzureStoreSettings.SERVICE_MAX_BLOCK_BYTES || blockSize > Integer.MAX_VALUE - 8) {
            throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, length
                    + " bytes is more than one Azure block blob holds");
        }
        // Unique block IDs per upload: two writers racing for one name must not replace each other's uncommitted
        // blocks, or the create-only winner could commit the loser's bytes.
        String uploadId = UUID.randomUUID().toString();
        MessageDigest whole = md5();
        byte[] buffer = new byte[(int) Math.min(blockSize, length)];
        List<String> blockIds = new ArrayList<>();
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(blockSize, length - done);
            readFully(data, buffer, n, done, length, location);
            whole.update(buffer, 0, n);
            MessageDigest blockMd5 = md5();
            blockMd5.update(buffer, 0, n);
            String blockId = blockId(uploadId, blockIds.size());
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId,
                    BinaryData.fromByteBuffer(ByteBuffer.wrap(buffer, 0, n))).setContentMd5(blockMd5.digest()),
                    deadline.remaining(), Context.NONE);
            blockIds.add(blockId);
            done += n;
        }
        Response<BlockBlobItem> response = blob.commitBlockListWithResponse(
                new BlockBlobCommitBlockListOptions(blockIds)
                        .setHeaders(new BlobHttpHeaders().setContentMd5(whole.digest()))
                        .setRequestConditions(conditions), deadline.remaining(), Context.NONE);
        // Put Block List's checksum headers describe the block list, not the blob: none are reported.
        return BlobObjectInfo.ofResponse(location.key(), length, response.getHeaders(), false);
    }

    static String blockId(String uploadId, int index) {
        String raw = uploadId + "-" + String.format("%06d", index);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] readExactly(Payload payload, Location location, int length) {
        byte[] bytes = new byte[length];
        try (InputStream in = payload.open()) {
            readFully(in, bytes, length, 0, length, location);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private static void readFully(InputStream in, byte[] buffer, int n, long before, long promised,
            Location location) {
        int off = 0;
        try {
            while (off < n) {
                int r = in.read(buffer, off, n - off);
                if (r < 0) {
                    // Nothing was committed: the blob only becomes visible with the final request.
                    throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, "the data ended after "
                            + (before + off) + " of " + promised + " bytes; nothing was written");
                }
                off += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }
}
