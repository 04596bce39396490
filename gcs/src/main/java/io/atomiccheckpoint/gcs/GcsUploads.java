package io.atomiccheckpoint.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Writes objects: one request with the bytes in memory up to {@code gcs.resumableThreshold}, a resumable
 * upload in {@code gcs.uploadChunkSize} chunks above it. Create-only writes carry {@code ifGenerationMatch=0}.
 *
 * <p>Every create-only write also carries a random id in its metadata. The SDK retries a create-only
 * request whose response was lost; the retry then meets the object the first attempt created and gets a
 * 412. Finding our own id on the object tells that case apart from a write lost to somebody else.
 */
final class GcsUploads {
    static final String WRITE_ID_KEY = "atomic-checkpoint-write-id";
    private static final int COPY_BUFFER = 256 * 1024;

    private final Storage storage;
    private final GcsSettings settings;

    GcsUploads(Storage storage, GcsSettings settings) {
        this.storage = storage;
        this.settings = settings;
    }

    ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length + " for " + location);
        }
        String writeId = UUID.randomUUID().toString();
        BlobInfo.Builder info = BlobInfo.newBuilder(BlobId.of(location.bucket(), location.key()));
        if (mode == WriteMode.CREATE) {
            info.setMetadata(Map.of(WRITE_ID_KEY, writeId));
        }
        try {
            if (length <= settings.resumableThreshold()) {
                return GcsObjectInfos.of(storage.create(info.build(), readExactly(location, data, (int) length),
                        targetOptions(mode)));
            }
            return GcsObjectInfos.of(resumable(location, info.build(), data, length, mode));
        } catch (StoreException e) {
            throw e;
        } catch (IOException | ExecutionException | RuntimeException e) {
            if (GcsErrors.code(e) == GcsErrors.PRECONDITION_FAILED) {
                return ownEarlierAttempt(location, writeId).orElseThrow(
                        () -> new PreconditionFailedException("write", location, e));
            }
            throw GcsErrors.generic("write", location, e);
        }
    }

    /**
     * Streams {@code length} bytes through a resumable upload session. Closing the channel finalises the
     * object, so a source that ends early or fails leaves the channel unclosed: the session is abandoned (GCS
     * expires it) and no partial object appears. The SDK's {@code createFrom} would finalise it instead.
     */
    private BlobInfo resumable(Location location, BlobInfo info, InputStream data, long length, WriteMode mode)
            throws IOException, ExecutionException {
        BlobWriteSession session = storage.blobWriteSession(info, writeOptions(mode));
        WritableByteChannel channel = session.open();
        byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, length)];
        long remaining = length;
        while (remaining > 0) {
            int n = data.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new StoreException("write", location, "the input ended after " + (length - remaining)
                        + " of the " + length + " bytes announced; the upload was abandoned and nothing was written");
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
            remaining -= n;
        }
        channel.close();
        try {
            return session.getResult().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("write", location, "interrupted while waiting for the upload result", e);
        }
    }

    /** The object, if an earlier attempt of this very write created it. */
    private Optional<ObjectInfo> ownEarlierAttempt(Location location, String writeId) {
        Blob existing = storage.get(BlobId.of(location.bucket(), location.key()));
        if (existing != null && existing.getMetadata() != null
                && writeId.equals(existing.getMetadata().get(WRITE_ID_KEY))) {
            return Optional.of(GcsObjectInfos.of(existing));
        }
        return Optional.empty();
    }

    private static byte[] readExactly(Location location, InputStream data, int length) throws IOException {
        byte[] bytes = data.readNBytes(length);
        if (bytes.length < length) {
            throw new StoreException("write", location, "the input ended after " + bytes.length + " of the "
                    + length + " bytes announced; nothing was written");
        }
        return bytes;
    }

    private static BlobTargetOption[] targetOptions(WriteMode mode) {
        return mode == WriteMode.CREATE ? new BlobTargetOption[] {BlobTargetOption.doesNotExist()}
                : new BlobTargetOption[0];
    }

    private static BlobWriteOption[] writeOptions(WriteMode mode) {
        return mode == WriteMode.CREATE ? new BlobWriteOption[] {BlobWriteOption.doesNotExist()}
                : new BlobWriteOption[0];
    }
}
