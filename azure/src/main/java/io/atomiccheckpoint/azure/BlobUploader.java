package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.atomiccheckpoint.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Writes one blob either with a single Put Blob (up to {@code azure.upload.singleMaxBytes}) or as staged
 * blocks committed with Put Block List, carrying {@code If-None-Match: *} on the request that makes the blob
 * visible when the write is create-only. The whole-blob MD5 is set as the blob's Content-MD5 on both paths,
 * so listings can report it; memory holds one block at a time.
 */
final class BlobUploader {
    /** Put Block List accepts at most this many blocks. */
    static final int MAX_BLOCKS = 50_000;
    private static final HttpHeaderName CRC64_HEADER = HttpHeaderName.fromString("x-ms-content-crc64");

    private final AzureStoreSettings.UploadSettings settings;

    BlobUploader(AzureStoreSettings.UploadSettings settings) {
        this.settings = settings;
    }

    /** Whether a write of {@code length} bytes takes the staged-block path. */
    boolean isStaged(long length) {
        return length > settings.singleUploadMaxBytes;
    }

    ObjectInfo upload(BlockBlobClient blob, String key, InputStream data, long length, boolean createOnly) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length + " for blob " + key);
        }
        BlobRequestConditions conditions = createOnly ? new BlobRequestConditions().setIfNoneMatch("*") : null;
        return isStaged(length) ? staged(blob, key, data, length, conditions)
                : single(blob, key, data, (int) length, conditions);
    }

    private static ObjectInfo single(BlockBlobClient blob, String key, InputStream data, int length,
            BlobRequestConditions conditions) {
        byte[] bytes = new byte[length];
        readFully(data, bytes, length, 0, length);
        byte[] md5 = md5().digest(bytes);
        Response<BlockBlobItem> response = blob.uploadWithResponse(
                new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes))
                        .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                        .setContentMd5(md5)
                        .setRequestConditions(conditions), null, Context.NONE);
        BlockBlobItem item = response.getValue();
        // A Put Blob body is the whole blob, so a CRC64 the service returns for it describes the content.
        String crc64 = response.getHeaders().getValue(CRC64_HEADER);
        return BlobObjectInfo.build(key, length, item.getETag(), md5,
                crc64 == null ? null : Base64.getDecoder().decode(crc64), item.getLastModified());
    }

    private ObjectInfo staged(BlockBlobClient blob, String key, InputStream data, long length,
            BlobRequestConditions conditions) {
        long blockSize = Math.max(settings.blockBytes, (length + MAX_BLOCKS - 1) / MAX_BLOCKS);
        if (blockSize > AzureStoreSettings.SERVICE_MAX_BLOCK_BYTES || blockSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("blob " + key + " of " + length + " bytes is larger than Azure accepts");
        }
        // Block IDs are unique per upload: two writers racing for the same name must not replace each other's
        // uncommitted blocks, or the create-only winner could commit the loser's bytes.
        String uploadId = UUID.randomUUID().toString();
        MessageDigest whole = md5();
        byte[] buffer = new byte[(int) Math.min(blockSize, length)];
        List<String> blockIds = new ArrayList<>();
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(blockSize, length - done);
            readFully(data, buffer, n, done, length);
            whole.update(buffer, 0, n);
            String blockId = blockId(uploadId, blockIds.size());
            MessageDigest blockMd5 = md5();
            blockMd5.update(buffer, 0, n);
            blob.stageBlockWithResponse(blockId, new ByteArrayInputStream(buffer, 0, n), n, blockMd5.digest(), null,
                    null, Context.NONE);
            blockIds.add(blockId);
            done += n;
        }
        byte[] md5 = whole.digest();
        BlockBlobItem item = blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds)
                .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                .setRequestConditions(conditions), null, Context.NONE).getValue();
        return BlobObjectInfo.build(key, length, item.getETag(), md5, null, item.getLastModified());
    }

    static String blockId(String uploadId, int index) {
        String raw = uploadId + "-" + String.format("%06d", index);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private static void readFully(InputStream in, byte[] buffer, int n, long before, long promised) {
        int off = 0;
        try {
            while (off < n) {
                int r = in.read(buffer, off, n - off);
                if (r < 0) {
                    throw new EOFException("the data stream ended after " + (before + off) + " bytes but "
                            + promised + " were promised; nothing was written");
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
