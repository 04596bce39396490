package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes up to {@code s3.deleteBatchSize} (at most 1 000) keys of one bucket with one DeleteObjects request
 * in quiet mode, and maps the per-key errors of the response back onto the caller's locations. DeleteObjects
 * answers 200 even when single keys fail, so those errors are the only sign of a failure.
 */
final class S3BatchDeleter {
    private final S3AsyncClient client;
    private final int batchSize;
    private final S3Errors errors;

    S3BatchDeleter(S3AsyncClient client, int batchSize, S3Errors errors) {
        this.client = client;
        this.batchSize = batchSize;
        this.errors = errors;
    }

    List<DeleteResult> delete(List<Location> locations) {
        if (locations.isEmpty()) {
            return List.of();
        }
        if (locations.size() > batchSize) {
            throw new IllegalArgumentException("deleteBatch takes at most " + batchSize + " locations (S3 DeleteObjects"
                    + " limit or s3.deleteBatchSize), got " + locations.size());
        }
        Location first = locations.get(0);
        for (Location loc : locations) {
            if (!loc.sameBucketAs(first)) {
                throw new IllegalArgumentException("deleteBatch needs every location in one bucket: " + first + " and " + loc);
            }
        }
        // S3 reports a key once however often it is listed, so send each key once.
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        locations.forEach(l -> keys.add(l.key()));
        List<ObjectIdentifier> ids = new ArrayList<>(keys.size());
        keys.forEach(k -> ids.add(ObjectIdentifier.builder().key(k).build()));
        DeleteObjectsResponse response = errors.joinGeneric(client.deleteObjects(r -> r.bucket(first.bucket())
                .delete(d -> d.quiet(true).objects(ids))), "deleteBatch", first);
        Map<String, String> failed = new HashMap<>();
        for (S3Error error : response.errors()) {
            // A missing key is deleted as far as the caller is concerned.
            if (!"NoSuchKey".equals(error.code())) {
                failed.put(error.key(), errors.scrub(error.code() + (error.message() == null ? "" : ": " + error.message())));
            }
        }
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (Location loc : locations) {
            String reason = failed.get(loc.key());
            results.add(reason == null ? DeleteResult.deleted(loc) : DeleteResult.failed(loc, reason));
        }
        return results;
    }
}
