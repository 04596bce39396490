package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.storage.blob.batch.BlobBatch;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.batch.BlobBatchClient;
import com.azure.storage.blob.batch.BlobBatchClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes up to {@value #MAX_BATCH} blobs with Blob Batch requests and reports each blob's own outcome;
 * a blob that is already gone counts as deleted so that a retried cleanup converges. Batches are scoped to
 * one container (one request per container in the list), the form both Azure and Azurite accept; Azurite
 * answers 404 to account-scoped batches.
 */
final class BatchDeleter {
    /** The service's limit of sub-requests in one batch. */
    static final int MAX_BATCH = 256;
    private static final HttpHeaderName ERROR_CODE = HttpHeaderName.fromString("x-ms-error-code");

    private final BlobServiceClient service;

    BatchDeleter(BlobServiceClient service) {
        this.service = service;
    }

    /** Deletes {@code locations}; SDK exceptions for a whole request propagate. */
    List<DeleteResult> delete(List<Location> locations) {
        if (locations.size() > MAX_BATCH) {
            throw new IllegalArgumentException("an Azure batch delete takes at most " + MAX_BATCH + " blobs, got "
                    + locations.size() + "; split the list");
        }
        Map<String, List<Integer>> byContainer = new LinkedHashMap<>();
        for (int i = 0; i < locations.size(); i++) {
            byContainer.computeIfAbsent(locations.get(i).bucket(), c -> new ArrayList<>()).add(i);
        }
        DeleteResult[] results = new DeleteResult[locations.size()];
        for (Map.Entry<String, List<Integer>> group : byContainer.entrySet()) {
            BlobBatchClient client = new BlobBatchClientBuilder(service.getBlobContainerClient(group.getKey()))
                    .buildClient();
            BlobBatch batch = client.getBlobBatch();
            List<Response<Void>> responses = new ArrayList<>(group.getValue().size());
            for (int i : group.getValue()) {
                Location loc = locations.get(i);
                // By URL: deleteBlob(container, name) percent-encodes the '/' in names (azure-sdk-for-java
                // issue 45980), which Azurite refuses; the blob client's URL keeps them as separators.
                String url = service.getBlobContainerClient(loc.bucket()).getBlobClient(loc.key()).getBlobUrl();
                responses.add(batch.deleteBlob(url, DeleteSnapshotsOptionType.INCLUDE, null));
            }
            client.submitBatchWithResponse(batch, false, null, Context.NONE);
            for (int j = 0; j < responses.size(); j++) {
                int i = group.getValue().get(j);
                results[i] = outcome(locations.get(i), responses.get(j));
            }
        }
        return Arrays.asList(results);
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
            code = e.getErrorCode() == null ? null : e.getErrorCode().toString();
        }
        if (status / 100 == 2 || status == 404) {
            return DeleteResult.deleted(location);
        }
        return DeleteResult.failed(location, "HTTP " + status + (code == null ? "" : " " + code));
    }
}
