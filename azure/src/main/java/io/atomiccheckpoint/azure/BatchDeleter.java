package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.batch.BlobBatch;
import com.azure.storage.blob.batch.BlobBatchClient;
import com.azure.storage.blob.batch.BlobBatchClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectVersion;
import com.azure.storage.blob.models.BlobRequestConditions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.StoreException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes up to {@value #MAX_BATCH} blobs (the {@code Store} facade splits longer lists) with Blob Batch requests
 * and reports each blob's own outcome. Plain deletes are unconditional: the store deletes only what the commit
 * protocol owns (a temporary prefix, a stale marker) and a missing blob counts as deleted, so a retried
 * clean-up converges. Pinned deletes carry {@code If-Match: <listed ETag>} on each sub-request, so a blob
 * written after the listing is kept (412, reported as {@link ErrorKind#PRECONDITION_FAILED}). Batches are scoped to one container (one request per container in the list), the form
 * both Azure and Azurite accept; Azurite answers 404 to account-scoped batches.
 */
final class BatchDeleter {
    /** The service's limit of sub-requests in one batch. */
    static final int MAX_BATCH = 256;
    private static final HttpHeaderName ERROR_CODE = HttpHeaderName.fromString("x-ms-error-code");

    private final BlobServiceClient service;
    private final AzureFailures failures;

    BatchDeleter(BlobServiceClient service, AzureFailures failures) {
        this.service = service;
        this.failures = failures;
    }

    /**
     * Deletes {@code locations}. When the list spans containers, a container whose whole request failed reports
     * that failure for each of its blobs; with one container, the failure is thrown.
     */
    List<DeleteResult> delete(List<Location> locations, Deadline deadline) {
        return delete(locations, null, deadline);
    }

    /** As {@link #delete(List, Deadline)}, each blob only while its ETag is still the listed one. */
    List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects, Deadline deadline) {
        List<Location> locations = new ArrayList<>(objects.size());
        List<String> etags = new ArrayList<>(objects.size());
        for (ObjectVersion o : objects) {
            locations.add(o.location());
            etags.add(o.version());
        }
        return delete(locations, etags, deadline);
    }

    /** @param etags the ETag each blob must still have, in the order of {@code locations}, or null for none */
    private List<DeleteResult> delete(List<Location> locations, List<String> etags, Deadline deadline) {
        Map<String, List<Integer>> byContainer = new LinkedHashMap<>();
        for (int i = 0; i < locations.size(); i++) {
            byContainer.computeIfAbsent(locations.get(i).bucket(), c -> new ArrayList<>()).add(i);
        }
        DeleteResult[] results = new DeleteResult[locations.size()];
        for (Map.Entry<String, List<Integer>> group : byContainer.entrySet()) {
            List<Integer> indexes = group.getValue();
            try {
                deleteGroup(group.getKey(), indexes, locations, etags, results, deadline);
            } catch (RuntimeException e) {
                StoreException failure = failures.translate("delete", locations.get(indexes.get(0)), e);
                if (byContainer.size() == 1 || failure.kind() == ErrorKind.INTERRUPTED
                        || failure.kind() == ErrorKind.TIMEOUT) {
                    throw failure;
                }
                for (int i : indexes) {
                    results[i] = DeleteResult.failed(locations.get(i), failure.kind(), failure.getMessage());
                }
            }
        }
        return Arrays.asList(results);
    }

    private void deleteGroup(String container, List<Integer> indexes, List<Location> locations, List<String> etags,
            DeleteResult[] results, Deadline deadline) {
        BlobBatchClient client = new BlobBatchClientBuilder(service.getBlobContainerClient(container)).buildClient();
        BlobBatch batch = client.getBlobBatch();
        List<Response<Void>> responses = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            Location loc = locations.get(i);
            // By URL: deleteBlob(container, name) percent-encodes the '/' in names (azure-sdk-for-java issue
            // 45980), which Azurite refuses; the blob client's URL keeps them as separators.
            String url = service.getBlobContainerClient(loc.bucket()).getBlobClient(loc.key()).getBlobUrl();
            BlobRequestConditions conditions = etags == null ? null
                    : new BlobRequestConditions().setIfMatch(BlobObjectInfo.quote(etags.get(i)));
            responses.add(batch.deleteBlob(url, DeleteSnapshotsOptionType.INCLUDE, conditions));
        }
        client.submitBatchWithResponse(batch, false, deadline.remaining(), Context.NONE);
        for (int j = 0; j < responses.size(); j++) {
            int i = indexes.get(j);
            results[i] = outcome(locations.get(i), responses.get(j));
        }
    }

    private static DeleteResult outcome(Location location, Response<Void> response) {
        int status;
        String code;
        try {
            status = response.getStatusCode();
            code = response.getHeaders() == null ? null : response.getHeaders().getValue(ERROR_CODE);
        } catch (BlobStorageException e) {
            // The SDK rethrows a sub-request's failure on access instead of returning its status.
            status = e.getStatusCode();
            code = AzureFailures.code(e);
        }
        if (status / 100 == 2 || status == 404) {
            return DeleteResult.deleted(location);
        }
        return DeleteResult.failed(location, AzureFailures.kindOf(status, code), AzureFailures.describe(status, code));
    }
}
