package io.atomiccheckpoint.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobSourceOption;
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
 * <p>A plain delete carries no precondition: it is idempotent (a missing object counts as deleted, so a repeated
 * clean-up converges), and the library deletes only what it owns. A pinned delete
 * ({@link #deleteIfGeneration}) names the listed generation ({@code generation=}) and carries
 * {@code ifGenerationMatch} on each call, in the batch and when it is repeated alone, so it can only ever delete
 * that generation, never an object written after the listing. Real GCS answers 412 to the condition;
 * fake-gcs-server ignores it but honours the named generation and answers 404
 * ({@code FakeGcsServerBehaviourTest}). Either way the object is kept, and one stat after a 404 tells a replaced
 * object (reported as {@link ErrorKind#PRECONDITION_FAILED}) from one already gone. The facade splits larger
 * lists.
 */
final class GcsBatchDeleter {
    private final Storage storage;

    GcsBatchDeleter(Storage storage) {
        this.storage = storage;
    }

    /** One object to delete, and the generation it must still have, or null for an unconditional delete. */
    record Target(Location location, Long generation) {
        /** The object, naming the generation for a pinned delete, so only that generation can be deleted. */
        BlobId id() {
            return generation == null ? GcsBatchDeleter.id(location)
                    : BlobId.of(location.bucket(), location.key(), generation);
        }

        BlobSourceOption[] options() {
            return generation == null ? new BlobSourceOption[0]
                    : new BlobSourceOption[] {BlobSourceOption.generationMatch(generation)};
        }
    }

    List<DeleteResult> delete(List<Location> locations, Deadline deadline) {
        List<Target> targets = new ArrayList<>(locations.size());
        locations.forEach(l -> targets.add(new Target(l, null)));
        return deleteTargets(targets, deadline);
    }

    /** Deletes each object only while it is still the given generation. */
    List<DeleteResult> deleteIfGeneration(List<Target> targets, Deadline deadline) {
        return deleteTargets(targets, deadline);
    }

    private List<DeleteResult> deleteTargets(List<Target> locations, Deadline deadline) {
        RuntimeException first;
        try {
            return submit(locations, deadline);
        } catch (RuntimeException e) {
            first = e;
        }
        Location head = locations.get(0).location();
        StoreException whole = GcsErrors.translate("delete", head, first);
        if (whole.kind() == ErrorKind.INTERRUPTED) {
            throw whole;
        }
        if (whole.kind().retryable()) {
            try {
                deadline.check("delete", head);
                return submit(locations, deadline);
            } catch (RuntimeException again) {
                StoreException second = again instanceof StoreException se ? se
                        : GcsErrors.translate("delete", head, again);
                if (second.kind() == ErrorKind.INTERRUPTED) {
                    throw second;
                }
            }
        }
        // The batch as a whole failed twice, or with a kind a resend will not cure: each object on its own, so
        // every object gets the outcome that is really its own (a single delete may well succeed).
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (Target target : locations) {
            results.add(deleteAlone(target, deadline));
        }
        return results;
    }

    private List<DeleteResult> submit(List<Target> locations, Deadline deadline) {
        StorageBatch batch = storage.batch();
        List<StorageBatchResult<Boolean>> pending = new ArrayList<>(locations.size());
        for (Target target : locations) {
            pending.add(batch.delete(target.id(), target.options()));
        }
        batch.submit();
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            results.add(outcome(locations.get(i), pending.get(i), deadline));
        }
        return results;
    }

    private DeleteResult outcome(Target target, StorageBatchResult<Boolean> result, Deadline deadline) {
        Location location = target.location();
        try {
            // false only means the object (or the named generation) was already gone
            return result.get() ? DeleteResult.deleted(location) : gone(target, deadline);
        } catch (StorageException e) {
            if (e.getCode() == GcsErrors.NOT_FOUND) {
                return gone(target, deadline);
            }
            if (GcsErrors.kindOf(e).retryable()) {
                return deleteAlone(target, deadline);
            }
            return DeleteResult.failed(location, GcsErrors.kindOf(e), GcsErrors.describe(e));
        }
    }

    /**
     * The outcome of a delete that found nothing to delete: for a pinned delete the named generation is gone,
     * either deleted or replaced by a newer object, which one stat tells apart (a replaced object was kept).
     */
    private DeleteResult gone(Target target, Deadline deadline) {
        Location location = target.location();
        if (target.generation() == null) {
            return DeleteResult.deleted(location);
        }
        try {
            deadline.check("delete", location);
            Blob now = storage.get(GcsBatchDeleter.id(location));
            if (now == null || now.getGeneration() == null || now.getGeneration().equals(target.generation())) {
                return DeleteResult.deleted(location);
            }
            return DeleteResult.failed(location, ErrorKind.PRECONDITION_FAILED, "the object is now generation "
                    + now.getGeneration() + ", not the listed " + target.generation() + "; kept");
        } catch (StoreException e) {
            return DeleteResult.failed(location, e.kind(), e.getMessage());
        } catch (RuntimeException e) {
            return DeleteResult.failed(location, GcsErrors.kindOf(e), GcsErrors.describe(e));
        }
    }

    /** One delete through the client's retries, for a call the batch could not do, with the same condition. */
    private DeleteResult deleteAlone(Target target, Deadline deadline) {
        Location location = target.location();
        try {
            deadline.check("delete", location);
            return storage.delete(target.id(), target.options()) ? DeleteResult.deleted(location)
                    : gone(target, deadline);
        } catch (StoreException e) {
            return DeleteResult.failed(location, e.kind(), e.getMessage());
        } catch (RuntimeException e) {
            if (GcsErrors.code(e) == GcsErrors.NOT_FOUND) {
                return gone(target, deadline);
            }
            return DeleteResult.failed(location, GcsErrors.kindOf(e), GcsErrors.describe(e));
        }
    }

    private static BlobId id(Location location) {
        return BlobId.of(location.bucket(), location.key());
    }
}
