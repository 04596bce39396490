package io.atomiccheckpoint.gcs;

import com.google.api.client.googleapis.batch.BatchRequest;
import com.google.api.client.googleapis.batch.json.JsonBatchCallback;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequestInitializer;
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
 *   <li>not done in one call (large or cross-location objects), or no part for it in the answer: sent again
 *       alone through the single copy, which follows the rewrite token; if it had landed, the repeat is refused
 *       as create-only and the caller finds its own copy;</li>
 *   <li>412 or 404: the refusal or missing source, as a single copy reports it;</li>
 *   <li>429 or 5xx: sent again alone through the single copy, whose client retries with back-off (the batch
 *       endpoint retries nothing inside a batch). If the first try did land, the repeat meets its own copy and is
 *       refused as create-only: the caller sees a refused copy of identical content, as after a lost response to
 *       a single copy.</li>
 * </ul>
 * A batch that fails as a whole is sent once more after {@code gcs.retry.initialDelay} if its failure is
 * retryable, then its copies go one by one, as {@link GcsBatchDeleter} does for deletes. Every fallback runs after
 * the batch's answer was read, and within the batch's {@code gcs.timeout.operation}: once it is spent, the copies
 * left fail with {@code TIMEOUT}.
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
    private final HttpRequestInitializer batchInitializer;
    private final GcsSettings settings;

    private GcsBatchCopier(com.google.api.services.storage.Storage api, HttpRequestInitializer batchInitializer,
            GcsSettings settings) {
        this.api = api;
        this.batchInitializer = batchInitializer;
        this.settings = settings;
    }

    /** A copier on the client's own transport, or empty when the client does not speak JSON over HTTP. */
    static Optional<GcsBatchCopier> forClient(Storage storage, GcsSettings settings) {
        StorageOptions options = storage.getOptions();
        if (!(options.getTransportOptions() instanceof HttpTransportOptions http)) {
            return Optional.empty();
        }
        String host = options.getHost();
        HttpRequestInitializer initializer = http.getHttpRequestInitializer(options);
        com.google.api.services.storage.Storage api = new com.google.api.services.storage.Storage.Builder(
                http.getHttpTransportFactory().create(), GsonFactory.getDefaultInstance(), initializer)
                .setRootUrl(host.endsWith("/") ? host : host + "/")
                .setApplicationName(options.getApplicationName())
                .build();
        // The batch request itself gets the client's timeouts and headers too (batch() alone would give it none).
        return Optional.of(new GcsBatchCopier(api, initializer, settings));
    }

    /** What one sub-request came to before any fallback: an outcome, or a copy to send alone. */
    private static final class Answer {
        CopyOutcome outcome;
        GoogleJsonError refused;
        boolean alone;
    }

    List<CopyOutcome> copy(List<CopyRequest> copies, SingleCopy single, Refusal refusal, Deadline deadline) {
        Location head = copies.get(0).target();
        Answer[] answers;
        try {
            answers = submit(copies, deadline);
        } catch (IOException | RuntimeException first) {
            StoreException whole = GcsErrors.translate("copy", head, withStatus(first));
            if (whole.kind() == ErrorKind.INTERRUPTED || whole.kind() == ErrorKind.TIMEOUT) {
                return failedAll(copies.size(), whole);
            }
            answers = null;
            if (whole.kind().retryable()) {
                try {
                    backOff(head);
                    answers = submit(copies, deadline);
                } catch (IOException | RuntimeException again) {
                    StoreException second = GcsErrors.translate("copy", head, withStatus(again));
                    if (second.kind() == ErrorKind.INTERRUPTED || second.kind() == ErrorKind.TIMEOUT) {
                        return failedAll(copies.size(), second);
                    }
                }
            }
            if (answers == null) {
                // Twice, or not worth repeating whole: each copy alone, so each gets the outcome that is its own.
                answers = new Answer[copies.size()];
                for (int i = 0; i < answers.length; i++) {
                    answers[i] = new Answer();
                    answers[i].alone = true;
                }
            }
        }
        // Fallbacks run after the batch response was read whole, never inside its callbacks.
        List<CopyOutcome> outcomes = new ArrayList<>(copies.size());
        for (int i = 0; i < copies.size(); i++) {
            CopyRequest c = copies.get(i);
            Answer a = answers[i];
            if (a.outcome != null) {
                outcomes.add(a.outcome);
            } else if (a.refused != null) {
                outcomes.add(failed(c, a.refused, refusal, deadline));
            } else {
                outcomes.add(alone(c, single, deadline));
            }
        }
        return outcomes;
    }

    /** Waits {@code gcs.retry.initialDelay} before a whole batch is sent again, as the client would before a retry. */
    private void backOff(Location head) {
        try {
            Thread.sleep(settings.retryInitialDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GcsErrors.interruptedBefore("copy", head);
        }
    }

    private static List<CopyOutcome> failedAll(int count, StoreException e) {
        if (e.kind() == ErrorKind.INTERRUPTED) {
            throw e;
        }
        List<CopyOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            outcomes.add(CopyOutcome.failed(e));
        }
        return outcomes;
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

    /** Sends the batch and records each sub-request's answer; the callbacks send nothing themselves. */
    private Answer[] submit(List<CopyRequest> copies, Deadline deadline) throws IOException {
        deadline.check("copy", copies.get(0).target());
        BatchRequest batch = api.batch(batchInitializer);
        Answer[] answers = new Answer[copies.size()];
        for (int i = 0; i < copies.size(); i++) {
            Answer answer = new Answer();
            answers[i] = answer;
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
                    if (Boolean.TRUE.equals(response.getDone()) && response.getResource() != null) {
                        answer.outcome = CopyOutcome.copied(of(response.getResource()));
                    } else {
                        // Not done in one call (the single copy follows the rewrite token), or done without the
                        // object in the answer: alone it either copies or meets its own copy (refused
                        // create-only, then the caller compares content).
                        answer.alone = true;
                    }
                }

                @Override
                public void onFailure(GoogleJsonError error, HttpHeaders headers) {
                    String reason = reason(error);
                    if (GcsErrors.kindOf(error.getCode(), reason).retryable()) {
                        answer.alone = true;
                    } else {
                        answer.refused = error;
                    }
                }
            });
        }
        batch.execute();
        return answers;
    }

    private static String reason(GoogleJsonError error) {
        return error.getErrors() == null || error.getErrors().isEmpty() ? null : error.getErrors().get(0).getReason();
    }

    /** A sub-request the service answered with a status no repeat cures: the exception a single copy would throw. */
    private static CopyOutcome failed(CopyRequest c, GoogleJsonError error, Refusal refusal, Deadline deadline) {
        StorageException e = new StorageException(error.getCode(), error.getMessage(), reason(error), null);
        if (error.getCode() == GcsErrors.PRECONDITION_FAILED) {
            return CopyOutcome.failed(refusal.of(c.source(), c.target(), c.options(), deadline, e));
        }
        if (error.getCode() == GcsErrors.NOT_FOUND) {
            return CopyOutcome.failed(new ObjectNotFoundException("copy", c.source(), e));
        }
        return CopyOutcome.failed(GcsErrors.translate("copy", c.target(), e));
    }

    /**
     * One copy through the client's retries, within the batch's deadline. A sub-request with no answer, a
     * retryable answer or an unfinished rewrite goes here; it may have landed already, in which case the repeat
     * is refused as create-only and the caller finds its own copy.
     */
    private static CopyOutcome alone(CopyRequest c, SingleCopy single, Deadline deadline) {
        return CopyOutcome.of(() -> {
            deadline.check("copy", c.target());
            return single.copy(c.source(), c.target(), c.options());
        });
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
