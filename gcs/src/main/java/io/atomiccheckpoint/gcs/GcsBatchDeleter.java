package io.atomiccheckpoint.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import com.google.cloud.storage.StorageException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes up to 100 objects with one JSON batch request and reports each object's outcome. The batch
 * endpoint does not retry single calls inside it, so calls that failed with a retryable status (429, 5xx)
 * are repeated one by one through the client, which applies its retry settings.
 */
final class GcsBatchDeleter {
    private final Storage storage;
    private final int maxBatch;

    GcsBatchDeleter(Storage storage, int maxBatch) {
        this.storage = storage;
        this.maxBatch = maxBatch;
    }

    List<DeleteResult> delete(List<Location> locations) {
        if (locations.size() > maxBatch) {
            throw new IllegalArgumentException("deleteBatch got " + locations.size() + " locations; at most "
                    + maxBatch + " (gcs.deleteBatchSize) are allowed");
        }
        if (locations.isEmpty()) {
            return List.of();
        }
        StorageBatch batch = storage.batch();
        List<StorageBatchResult<Boolean>> pending = new ArrayList<>(locations.size());
        for (Location loc : locations) {
            pending.add(batch.delete(id(loc)));
        }
        try {
            batch.submit();
        } catch (RuntimeException e) {
            throw GcsErrors.generic("deleteBatch", locations.get(0), e);
        }
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            results.add(outcome(locations.get(i), pending.get(i)));
        }
        return results;
    }

    private DeleteResult outcome(Location location, StorageBatchResult<Boolean> result) {
        try {
            result.get(); // false only means the object was already gone, which counts as deleted
            return DeleteResult.deleted(location);
        } catch (StorageException e) {
            if (e.getCode() == GcsErrors.NOT_FOUND) {
                return DeleteResult.deleted(location);
            }
            if (e.isRetryable() || e.getCode() == 429 || e.getCode() >= 500) {
                return deleteAlone(location);
            }
            return DeleteResult.failed(location, GcsErrors.describe(e));
        }
    }

    private DeleteResult deleteAlone(Location location) {
        try {
            storage.delete(id(location));
            return DeleteResult.deleted(location);
        } catch (RuntimeException e) {
            return DeleteResult.failed(location, GcsErrors.describe(e));
        }
    }

    private static BlobId id(Location location) {
        return BlobId.of(location.bucket(), location.key());
    }
}
