package io.atomiccheckpoint.gcs;

import com.google.api.client.googleapis.batch.BatchRequest;
import com.google.api.client.googleapis.batch.json.JsonBatchCallback;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.storage.model.RewriteResponse;
import com.google.api.services.storage.model.StorageObject;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sends up to 100 rewrites as one JSON batch request. The official client batches deletes, gets and updates but
 * not rewrites, so this goes through the JSON API's generated client ({@code google-api-services-storage}), which
 * the official client itself runs on, built on the same transport, request initializer (credentials, timeouts,
 * headers) and endpoint as the store's client: the same faults, proxies and test hooks apply to it.
 *
 * <p>Every sub-request carries the conditions of a single copy: {@code ifGenerationMatch=0} for a create-only
 * target, {@code ifSourceGenerationMatch=<version>} for a pinned source. Each gets its own outcome:
 * <ul>
 *   <li>done: the target as the service reported it;</li>
 *   <li>not done in one call (large or cross-location objects): sent again alone through the single copy, which
 *       follows the rewrite token; nothing was written, so the repeat is safe;</li>
 *   <li>412 or 404: the refusal or missing source, as a single copy reports it;</li>
 *   <li>429 or 5xx: sent again alone through the single copy, whose client retries with back-off (the batch
 *       endpoint retries nothing inside a batch). If the first try did land, the repeat meets its own copy and is
 *       refused as create-only: the caller sees a refused copy of identical content, as after a lost response to
 *       a single copy.</li>
 * </ul>
 * A batch that fails as a whole is sent once more if its failure is retryable, then its copies go one by one, as
 * {@link GcsBatchDeleter} does for deletes.
 */
final class GcsBatchCopier {
    /** A single copy through the store's client, with its retries: the fallback for one sub-request. */
    interface SingleCopy {
        ObjectInfo copy(Location source, Location target, CopyOptions options);
    }

    /** Builds the exception a single copy throws for a 412, naming which condition failed. */
    interface Refusal {
        StoreException of(Location source, Location target, CopyOptions options, Deadline deadline,
                RuntimeException cause);
    }

    private final com.google.api.services.storage.Storage api;
    private final GcsSettings settings;

    private GcsBatchCopier(com.google.api.services.storage.Storage api, GcsSettings settings) {
        this.api = api;
        this.settings = settings;
    }

    /** A copier on the client's own transport, or empty when the client does not speak JSON over HTTP. */
    static Optional<GcsBatchCopier> forClient(Storage storage, GcsSettings settings) {
        StorageOptions options = storage.getOptions();
        if (!(options.getTransportOptions() instanceof HttpTransportOptions http)) {
            return Optional.empty();
        }
        String host = options.getHost();
        com.google.api.services.storage.Storage api = new com.google.api.services.storage.Storage.Builder(
                http.getHttpTransportFactory().create(), GsonFactory.getDefaultInstance(),
                http.getHttpRequestInitializer(options))
                .setRootUrl(host.endsWith("/") ? host : host + "/")
                .setApplicationName(options.getApplicationName())
                .build();
        return Optional.of(new GcsBatchCopier(api, settings));
    }

    List<CopyOutcome> copy(List<CopyRequest> copies, SingleCopy single, Refusal refusal, Deadline deadline) {
        Location head = copies.get(0).target();
        CopyOutcome[] outcomes;
        try {
            outcomes = submit(copies, single, refusal, deadline);
        } catch (IOException | RuntimeException first) {
            StoreException whole = GcsErrors.translate("copy", head, withStatus(first));
            if (whole.kind() == ErrorKind.INTERRUPTED) {
                throw whole;
            }
            outcomes = null;
            if (whole.kind().retryable()) {
                try {
                    deadline.check("copy", head);
                    outcomes = submit(copies, single, refusal, deadline);
                } catch (IOException | RuntimeException again) {
                    StoreException second = GcsErrors.translate("copy", head, withStatus(again));
                    if (second.kind() == ErrorKind.INTERRUPTED) {
                        throw second;
                    }
                }
            }
            if (outcomes == null) {
                // Twice, or not worth repeating whole: each copy alone, so each gets the outcome that is its own.
                outcomes = new CopyOutcome[copies.size()];
                for (int i = 0; i < copies.size(); i++) {
                    outcomes[i] = alone(copies.get(i), single);
                }
            }
        }
        return List.of(outcomes);
    }

    /**
     * The batch request's own failure with its HTTP status where it has one: the generated client reports a refused
     * batch as an {@link HttpResponseException}, which {@link GcsErrors} would otherwise take for a network failure.
     */
    private static Throwable withStatus(Throwable t) {
        if (t instanceof HttpResponseException h) {
            String reason = null;
            if (h instanceof GoogleJsonResponseException json && json.getDetails() != null
                    && json.getDetails().getErrors() != null && !json.getDetails().getErrors().isEmpty()) {
                reason = json.getDetails().getErrors().get(0).getReason();
            }
            return new StorageException(h.getStatusCode(), "batch request answered " + h.getStatusCode() + " "
                    + h.getStatusMessage(), reason, h);
        }
        return t;
    }

    private CopyOutcome[] submit(List<CopyRequest> copies, SingleCopy single, Refusal refusal, Deadline deadline)
            throws IOException {
        deadline.check("copy", copies.get(0).target());
        BatchRequest batch = api.batch();
        CopyOutcome[] outcomes = new CopyOutcome[copies.size()];
        for (int i = 0; i < copies.size(); i++) {
            int index = i;
            CopyRequest c = copies.get(i);
            com.google.api.services.storage.Storage.Objects.Rewrite rewrite = api.objects().rewrite(
                    c.source().bucket(), c.source().key(), c.target().bucket(), c.target().key(), null);
            if (c.options().destination() instanceof PutMode.Create) {
                rewrite.setIfGenerationMatch(0L);
            }
            if (c.options().sourceVersion() != null) {
                rewrite.setIfSourceGenerationMatch(
                        GcsObjectStore.parseGeneration("copy", c.source(), c.options().sourceVersion()));
            }
            settings.rewriteMegabytesPerCall().ifPresent(mb -> rewrite.setMaxBytesRewrittenPerCall(mb * 1024 * 1024));
            rewrite.queue(batch, new JsonBatchCallback<RewriteResponse>() {
                @Override
                public void onSuccess(RewriteResponse response, HttpHeaders headers) {
                    outcomes[index] = Boolean.TRUE.equals(response.getDone()) && response.getResource() != null
                            ? CopyOutcome.copied(of(response.getResource()))
                            : alone(c, single);
                }

                @Override
                public void onFailure(GoogleJsonError error, HttpHeaders headers) {
                    outcomes[index] = failed(c, error, single, refusal, deadline);
                }
            });
        }
        batch.execute();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                // The batch response had no part for this copy: it may or may not have run; alone, it will tell.
                outcomes[i] = alone(copies.get(i), single);
            }
        }
        return outcomes;
    }

    private CopyOutcome failed(CopyRequest c, GoogleJsonError error, SingleCopy single, Refusal refusal,
            Deadline deadline) {
        String reason = error.getErrors() == null || error.getErrors().isEmpty() ? null
                : error.getErrors().get(0).getReason();
        StorageException e = new StorageException(error.getCode(), error.getMessage(), reason, null);
        if (error.getCode() == GcsErrors.PRECONDITION_FAILED) {
            return CopyOutcome.failed(refusal.of(c.source(), c.target(), c.options(), deadline, e));
        }
        if (error.getCode() == GcsErrors.NOT_FOUND) {
            return CopyOutcome.failed(new ObjectNotFoundException("copy", c.source(), e));
        }
        if (GcsErrors.kindOf(error.getCode(), reason).retryable()) {
            return alone(c, single);
        }
        return CopyOutcome.failed(GcsErrors.translate("copy", c.target(), e));
    }

    private static CopyOutcome alone(CopyRequest c, SingleCopy single) {
        try {
            return CopyOutcome.copied(single.copy(c.source(), c.target(), c.options()));
        } catch (StoreException e) {
            if (e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            return CopyOutcome.failed(e);
        }
    }

    /** The JSON API's object as core's {@link ObjectInfo}, as {@link GcsObjectInfos} maps the client's. */
    static ObjectInfo of(StorageObject o) {
        Map<String, String> checksums = new TreeMap<>();
        if (o.getCrc32c() != null) {
            checksums.put("crc32c", o.getCrc32c());
        }
        if (o.getMd5Hash() != null) {
            checksums.put("md5", o.getMd5Hash());
        }
        Instant updated = o.getUpdated() == null ? null : Instant.ofEpochMilli(o.getUpdated().getValue());
        return new ObjectInfo(o.getName(), o.getSize() == null ? 0 : o.getSize().longValue(),
                o.getGeneration() == null ? null : Long.toString(o.getGeneration()), checksums, updated);
    }
}
