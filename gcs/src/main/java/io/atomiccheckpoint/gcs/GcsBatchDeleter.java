package io.atomiccheckpoint.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import com.google.cloud.storage.StorageException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.StoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes up to 100 objects with one JSON batch request and reports each object's outcome, its kind from
 * {@link GcsErrors}'s table. The batch endpoint does not retry single calls inside it, so calls that failed with a
 * retryable status (429, 5xx) are repeated one by one through the client, which applies its retry settings.
 *
 * <p>A batch that fails as a whole (the batch request itself is reset or answered with an error) is sent once
 * more, and if that fails too, its objects are deleted one by one through the client. So one bad batch response
 * never aborts a {@code create()} or a clean-up half way: every object gets its own outcome, and the failures are
 * collected as {@code PrefixDeletion} promises. Only an interrupt ends the call early, as an exception.
 *
 * <p>Deletes carry no precondition: a delete is idempotent (a missing object counts as deleted, so a repeated
 * clean-up converges), and the library deletes only what it owns, the objects of a temporary location or of a
 * checkpoint being removed, so there is no other writer's version to protect. The facade splits larger lists.
 */
final class GcsBatchDeleter {
    private final Storage storage;

    GcsBatchDeleter(Storage storage) {
        this.storage = storage;
    }

    List<DeleteResult> delete(List<Location> locations, Deadline deadline) {
        RuntimeException first;
        try {
            return submit(locations, deadline);
        } catch (RuntimeException e) {
            first = e;
        }
        StoreException whole = GcsErrors.translate("delete", locations.get(0), first);
        if (whole.kind() == ErrorKind.INTERRUPTED) {
            throw whole;
        }
        if (whole.kind().retryable()) {
            try {
                deadline.check("delete", locations.get(0));
                return submit(locations, deadline);
            } catch (RuntimeException again) {
                StoreException second = again instanceof StoreException se ? se
                        : GcsErrors.translate("delete", locations.get(0), again);
                if (second.kind() == ErrorKind.INTERRUPTED) {
                    throw second;
                }
            }
        }
        // The batch as a whole failed twice, or with a kind a resend will not cure: each object on its own, so
        // every object gets the outcome that is really its own (a single delete may well succeed).
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (Location location : locations) {
            results.add(deleteAlone(location, deadline));
        }
        return results;
    }

    private List<DeleteResult> submit(List<Location> locations, Deadline deadline) {
        StorageBatch batch = storage.batch();
        List<StorageBatchResult<Boolean>> pending = new ArrayList<>(locations.size());
        for (Location loc : locations) {
            pending.add(batch.delete(id(loc)));
        }
        batch.submit();
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            results.add(outcome(locations.get(i), pending.get(i), deadline));
        }
        return results;
    }

    private DeleteResult outcome(Location location, StorageBatchResult<Boolean> result, Deadline deadline) {
        try {
            result.get(); // false only means the object was already gone, which counts as deleted
            return DeleteResult.deleted(location);
        } catch (StorageException e) {
            if (e.getCode() == GcsErrors.NOT_FOUND) {
                return DeleteResult.deleted(location);
            }
            if (GcsErrors.kindOf(e).retryable()) {
                return deleteAlone(location, deadline);
            }
            return DeleteResult.failed(location, GcsErrors.kindOf(e), GcsErrors.describe(e));
        }
    }

    /** One delete through the client's retries, for a call the batch could not do; no precondition (see above). */
    private DeleteResult deleteAlone(Location location, Deadline deadline) {
        try {
            deadline.check("delete", location);
            storage.delete(id(location)); // false means it was already gone, which is success
            return DeleteResult.deleted(location);
        } catch (StoreException e) {
            return DeleteResult.failed(location, e.kind(), e.getMessage());
        } catch (RuntimeException e) {
            if (GcsErrors.code(e) == GcsErrors.NOT_FOUND) {
                return DeleteResult.deleted(location);
            }
            return DeleteResult.failed(location, GcsErrors.kindOf(e), GcsErrors.describe(e));
        }
    }

    private static BlobId id(Location location) {
        return BlobId.of(location.bucket(), location.key());
    }
}
