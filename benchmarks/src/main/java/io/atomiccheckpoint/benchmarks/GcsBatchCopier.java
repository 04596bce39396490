package io.atomiccheckpoint.benchmarks;

import com.google.api.client.googleapis.batch.BatchRequest;
import com.google.api.client.googleapis.batch.json.JsonBatchCallback;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.storage.Storage;
import com.google.api.services.storage.model.RewriteResponse;
import com.google.api.services.storage.model.StorageObject;
import io.atomiccheckpoint.location.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites sent as one JSON batch request through the generated JSON API client
 * ({@code google-api-services-storage}, which {@code google-cloud-storage} already depends on; its own API
 * batches deletes, gets and updates but not rewrites). Each rewrite carries {@code ifGenerationMatch=0}, so
 * every per-object check of the single-request copy is kept, and each gets its own result.
 */
final class GcsBatchCopier implements BatchCopier {
    private final Storage api;

    GcsBatchCopier(HttpTransport transport, String rootUrl) {
        this.api = new Storage.Builder(transport, GsonFactory.getDefaultInstance(), null)
                .setRootUrl(rootUrl)
                .setApplicationName("atomic-checkpoint-benchmarks")
                .build();
    }

    @Override
    public void copyAll(List<Location> sources, List<Location> targets) {
        List<String> failures = new ArrayList<>();
        try {
            BatchRequest batch = api.batch();
            for (int i = 0; i < sources.size(); i++) {
                Location source = sources.get(i);
                Location target = targets.get(i);
                api.objects().rewrite(source.bucket(), source.key(), target.bucket(), target.key(), new StorageObject())
                        .setIfGenerationMatch(0L)
                        .queue(batch, new JsonBatchCallback<RewriteResponse>() {
                            @Override
                            public void onSuccess(RewriteResponse response, HttpHeaders headers) {
                                if (!Boolean.TRUE.equals(response.getDone())) {
                                    // A large or cross-location rewrite would need further calls with its token.
                                    failures.add(target + ": rewrite not done in one call");
                                }
                            }

                            @Override
                            public void onFailure(GoogleJsonError error, HttpHeaders headers) {
                                failures.add(target + ": " + error.getCode() + " " + error.getMessage());
                            }
                        });
            }
            batch.execute();
        } catch (IOException e) {
            throw new UncheckedIOException("batch of " + sources.size() + " rewrites failed", e);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + sources.size() + " batched rewrites failed,"
                    + " first: " + failures.get(0));
        }
    }
}
