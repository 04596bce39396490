package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes a batch (the facade keeps it within {@code s3.deleteBatchSize}, at most S3's 1 000) with one
 * DeleteObjects request per bucket, in quiet mode, and maps the per-key errors of the response back onto the
 * caller's locations, their kinds from {@link S3Errors#TABLE} (by code; per-key errors carry no status).
 * DeleteObjects answers 200 even when single keys fail, so those errors are the only sign of a failure. A missing
 * key counts as deleted. A key that fails with a retryable or unknown error (S3's per-key InternalError or
 * SlowDown, which the SDK cannot retry because the request as a whole succeeded) is deleted once more on its own.
 *
 * <p>Plain deletes carry no condition: callers delete only keys they own (a temporary prefix after its commit,
 * their own probe objects). Pinned deletes ({@link #deleteIfUnchanged}) name the listed ETag in each object's
 * {@code ETag} element (and {@code If-Match} when a key is deleted alone), which S3 checks per object and refuses
 * with a per-key PreconditionFailed; they protect leftovers' names in a final location against a newer writer.
 * An ETag is derived from content, so an object replaced by identical bytes is not told apart.
 */
final class S3BatchDeleter {
    private final S3AsyncClient client;
    private final S3Errors errors;

    S3BatchDeleter(S3AsyncClient client, S3Errors errors) {
        this.client = client;
        this.errors = errors;
    }

    List<DeleteResult> delete(List<Location> locations, Deadline deadline) {
        return delete(locations, Map.of(), deadline);
    }

    /** As {@link #delete(List, Deadline)}, each object only while its ETag is still the listed one. */
    List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects, Deadline deadline) {
        List<Location> locations = new ArrayList<>(objects.size());
        Map<Location, String> etags = new HashMap<>();
        for (ObjectVersion o : objects) {
            locations.add(o.location());
            etags.put(o.location(), S3ObjectInfos.etagHeader(o.version(), "delete", o.location()));
        }
        return delete(locations, etags, deadline);
    }

    /** @param etags the quoted ETag each location must still have; a location without one is deleted as it is */
    private List<DeleteResult> delete(List<Location> locations, Map<Location, String> etags, Deadline deadline) {
        if (locations.isEmpty()) {
            return List.of();
        }
        // One request per bucket; S3 reports a key once however often it is listed, so each key is sent once.
        Map<String, LinkedHashSet<String>> byBucket = new LinkedHashMap<>();
        Map<String, Location> first = new HashMap<>();
        for (Location loc : locations) {
            byBucket.computeIfAbsent(loc.bucket(), b -> new LinkedHashSet<>()).add(loc.key());
            first.putIfAbsent(loc.bucket(), loc);
        }
        Map<String, CompletableFuture<DeleteObjectsResponse>> requests = new LinkedHashMap<>();
        byBucket.forEach((bucket, keys) -> {
            List<ObjectIdentifier> ids = new ArrayList<>(keys.size());
            keys.forEach(k -> ids.add(ObjectIdentifier.builder().key(k)
                    .eTag(etags.get(first.get(bucket).sameBucket(k))).build()));
            requests.put(bucket, client.deleteObjects(r -> r.bucket(bucket).delete(d -> d.quiet(true).objects(ids))
                    .overrideConfiguration(deadline.override("delete", first.get(bucket)))));
        });
        // Per bucket and key: why the delete failed; a bucket whose whole request failed maps to its exception.
        Map<String, Map<String, DeleteResult>> failed = new HashMap<>();
        Map<String, StoreException> failedRequests = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<DeleteObjectsResponse>> e : requests.entrySet()) {
            Location where = first.get(e.getKey());
            DeleteObjectsResponse response;
            try {
                response = errors.join(e.getValue(), "delete", where, deadline);
            } catch (StoreException whole) {
                failedRequests.put(e.getKey(), whole);
                continue;
            }
            Map<String, DeleteResult> keyErrors = new HashMap<>();
            for (S3Error error : response.errors()) {
                if (!"NoSuchKey".equals(error.code())) {
                    Location loc = where.sameBucket(error.key());
                    keyErrors.put(error.key(), DeleteResult.failed(loc, S3Errors.kind(S3Errors.ANY, error.code()),
                            errors.describe(error.code(), error.message())));
                }
            }
            failed.put(e.getKey(), keyErrors);
        }
        if (failedRequests.size() == requests.size()) {
            // Nothing was deleted: the whole call failed.
            throw failedRequests.values().iterator().next();
        }
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (Location loc : locations) {
            StoreException whole = failedRequests.get(loc.bucket());
            DeleteResult keyError = whole == null ? failed.get(loc.bucket()).get(loc.key()) : null;
            if (whole != null) {
                results.add(DeleteResult.failed(loc, whole.kind(), whole.getMessage()));
            } else if (keyError != null && (keyError.kind().retryable() || keyError.kind() == ErrorKind.UNKNOWN)) {
                // A per-key InternalError or SlowDown: S3 asks for a retry, which DeleteObjects' own retries do not
                // make (the request as a whole succeeded). Once more on its own, through the client's retries.
                results.add(deleteAlone(loc, etags.get(loc), deadline));
            } else if (keyError != null) {
                results.add(DeleteResult.failed(loc, keyError.kind(), keyError.error().orElse(null)));
            } else {
                results.add(DeleteResult.deleted(loc));
            }
        }
        return results;
    }

    /** One DeleteObject for a key the batch could not delete, with the same condition ({@code If-Match}) if any. */
    private DeleteResult deleteAlone(Location location, String etag, Deadline deadline) {
        try {
            errors.join(client.deleteObject(r -> r.bucket(location.bucket()).key(location.key()).ifMatch(etag)
                    .overrideConfiguration(deadline.override("delete", location))), "delete", location, deadline);
            return DeleteResult.deleted(location);
        } catch (StoreException e) {
            if (e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            return S3Errors.isMissingKey(e) ? DeleteResult.deleted(location)
                    : DeleteResult.failed(location, e.kind(), e.getMessage());
        }
    }
}
