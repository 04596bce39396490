package io.atomiccheckpoint.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
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
 * upload in {@code gcs.uploadChunkSize} chunks above it. Each request carries the mode's precondition, which
 * GCS checks when it creates the object, so the check and the write are one step:
 * {@link PutMode#CREATE} sends {@code ifGenerationMatch=0}, {@link PutMode#update} sends
 * {@code ifGenerationMatch=<generation>}, {@link PutMode#OVERWRITE} sends none (it replaces whatever is there).
 *
 * <p>Every conditional write also carries a random id in its metadata. The SDK retries a conditional request
 * whose response was lost; the retry then meets the object the first attempt created and gets a 412. Finding our
 * own id on the object tells that case apart from a write lost to somebody else.
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

    /**
     * Writes {@code payload} with {@code mode}'s precondition and returns the object as the service reported it.
     * {@code operation} names the caller's operation in errors ({@code put}, or {@code copy} for download-upload).
     */
    ObjectInfo write(String operation, Location location, Payload payload, PutMode mode, Deadline deadline) {
        String writeId = UUID.randomUUID().toString();
        BlobInfo.Builder info = BlobInfo.newBuilder(BlobId.of(location.bucket(), location.key()));
        boolean conditional = !(mode instanceof PutMode.Overwrite);
        if (conditional) {
            info.setMetadata(Map.of(WRITE_ID_KEY, writeId));
        }
        try {
            if (payload.length() <= settings.resumableThreshold()) {
                byte[] bytes = payload instanceof Payload.Bytes ? ((Payload.Bytes) payload).data()
                        : readExactly(operation, location, payload);
                return GcsObjectInfos.of(storage.create(info.build(), bytes, targetOptions(location, mode)));
            }
            try (InputStream in = payload.open()) {
                return GcsObjectInfos.of(resumable(operation, location, info.build(), in, payload.length(), mode));
            }
        } catch (IOException | ExecutionException | RuntimeException e) {
            // Our own failure, such as a download-upload source that was replaced, passes unchanged.
            Optional<StoreException> own = GcsErrors.ourOwn(e);
            if (own.isPresent()) {
                throw own.get();
            }
            int code = GcsErrors.code(e);
            if (conditional && code == GcsErrors.PRECONDITION_FAILED) {
                deadline.check(operation, location);
                return ownEarlierAttempt(operation, location, writeId, e)
                        .orElseThrow(() -> refused(operation, location, mode, e));
            }
            if (mode instanceof PutMode.Update && code == GcsErrors.NOT_FOUND) {
                // An update of an object that is gone is a refused condition, whatever status the service chose.
                throw refused(operation, location, mode, e);
            }
            throw GcsErrors.translate(operation, location, e);
        }
    }

    private static PreconditionFailedException refused(String operation, Location location, PutMode mode,
            Exception cause) {
        if (mode instanceof PutMode.Update) {
            return new PreconditionFailedException(operation, location, "an update expected generation "
                    + ((PutMode.Update) mode).version() + ", but the object is another generation or gone ("
                    + GcsErrors.describe(cause) + ")", cause);
        }
        return new PreconditionFailedException(operation, location, cause);
    }

    /**
     * Streams {@code length} bytes through a resumable upload session. Closing the channel finalises the
     * object, so a source that ends early or fails leaves the channel unclosed: the session is abandoned (GCS
     * expires it) and no partial object appears. The SDK's {@code createFrom} would finalise it instead.
     */
    private BlobInfo resumable(String operation, Location location, BlobInfo info, InputStream data, long length,
            PutMode mode) throws IOException, ExecutionException {
        BlobWriteSession session = storage.blobWriteSession(info, writeOptions(location, mode));
        WritableByteChannel channel = session.open();
        byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(1, length))];
        long remaining = length;
        while (remaining > 0) {
            int n = data.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw endedEarly(operation, location, length - remaining, length);
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
            throw new StoreException(ErrorKind.INTERRUPTED, operation, location,
                    "interrupted while waiting for the upload result", e);
        }
    }

    /**
     * The object, if an earlier attempt of this very write created it; read with one metadata request. If that
     * request fails, whether the write was ours stays unknown, and its failure is what the caller gets.
     */
    private Optional<ObjectInfo> ownEarlierAttempt(String operation, Location location, String writeId,
            Exception refusal) {
        Blob existing;
        try {
            existing = storage.get(BlobId.of(location.bucket(), location.key()));
        } catch (RuntimeException e) {
            StoreException failure = GcsErrors.translate(operation, location, e);
            failure.addSuppressed(refusal);
            throw failure;
        }
        if (existing != null && existing.getMetadata() != null
                && writeId.equals(existing.getMetadata().get(WRITE_ID_KEY))) {
            return Optional.of(GcsObjectInfos.of(existing));
        }
        return Optional.empty();
    }

    private static byte[] readExactly(String operation, Location location, Payload payload) throws IOException {
        int length = (int) payload.length();
        try (InputStream in = payload.open()) {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw endedEarly(operation, location, bytes.length, length);
            }
            return bytes;
        }
    }

    private static StoreException endedEarly(String operation, Location location, long read, long length) {
        return new StoreException(ErrorKind.INVALID_INPUT, operation, location, "the input ended after " + read
                + " of the " + length + " bytes announced; the upload was abandoned and nothing was written");
    }

    private static BlobTargetOption[] targetOptions(Location location, PutMode mode) {
        if (mode instanceof PutMode.Create) {
            return new BlobTargetOption[] {BlobTargetOption.doesNotExist()};
        }
        if (mode instanceof PutMode.Update) {
            return new BlobTargetOption[] {BlobTargetOption.generationMatch(generation(location, (PutMode.Update) mode))};
        }
        return new BlobTargetOption[0];
    }

    private static BlobWriteOption[] writeOptions(Location location, PutMode mode) {
        if (mode instanceof PutMode.Create) {
            return new BlobWriteOption[] {BlobWriteOption.doesNotExist()};
        }
        if (mode instanceof PutMode.Update) {
            return new BlobWriteOption[] {BlobWriteOption.generationMatch(generation(location, (PutMode.Update) mode))};
        }
        return new BlobWriteOption[0];
    }

    /** The generation an update expects; a version that is not a GCS generation is the caller's mistake. */
    private static long generation(Location location, PutMode.Update update) {
        return GcsObjectStore.parseGeneration("put", location, update.version());
    }
}
