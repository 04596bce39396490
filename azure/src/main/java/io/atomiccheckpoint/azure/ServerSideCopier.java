package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpHeaders;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a blob inside the account without the bytes passing through this process: Copy Blob From URL
 * (synchronous) for sources up to {@code azure.syncCopyMaxBytes}, else the asynchronous Copy Blob, polled
 * until it ends. Both carry {@code If-None-Match: *} on the destination when the copy is create-only.
 */
final class ServerSideCopier {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSideCopier.class);
    /** How long a synchronous copy's source SAS lives: the copy finishes within one request. */
    private static final Duration SYNC_SOURCE_VALIDITY = Duration.ofMinutes(30);

    /** Which service operation a copy used. */
    enum Path {
        SYNC_COPY_FROM_URL, ASYNC_COPY
    }

    private final AzureStoreSettings.CopySettings settings;
    private final CopySourceAuthorizer authorizer;

    ServerSideCopier(AzureStoreSettings.CopySettings settings, CopySourceAuthorizer authorizer) {
        this.settings = settings;
        this.authorizer = authorizer;
    }

    /** The operation a copy of {@code sourceSize} bytes takes. */
    Path pathFor(long sourceSize) {
        return sourceSize <= settings.syncCopyMaxBytes ? Path.SYNC_COPY_FROM_URL : Path.ASYNC_COPY;
    }

    /**
     * Copies {@code source} (of {@code sourceSize} bytes) onto {@code target}. SDK exceptions propagate for the
     * caller to translate.
     *
     * @return the synchronous copy's response headers (they carry the new blob's ETag and Last-Modified), or
     *     empty after an asynchronous copy, whose final state only a fresh read of the target shows
     */
    Optional<HttpHeaders> copy(BlobClient source, long sourceSize, BlobClient target, boolean createOnly) {
        BlobRequestConditions destination = createOnly ? new BlobRequestConditions().setIfNoneMatch("*") : null;
        if (pathFor(sourceSize) == Path.SYNC_COPY_FROM_URL) {
            String url = authorizer.sourceUrl(source, SYNC_SOURCE_VALIDITY);
            return Optional.of(target.copyFromUrlWithResponse(new BlobCopyFromUrlOptions(url)
                    .setDestinationRequestConditions(destination), null, Context.NONE).getHeaders());
        }
        // The service may read the source until the copy ends, so the source SAS outlives our wait.
        String url = authorizer.sourceUrl(source, settings.timeout.plusMinutes(10));
        asyncCopy(url, target, destination, createOnly);
        return Optional.empty();
    }

    private void asyncCopy(String sourceUrl, BlobClient target, BlobRequestConditions destination,
            boolean createOnly) {
        SyncPoller<BlobCopyInfo, Void> poller = target.beginCopy(new BlobBeginCopyOptions(sourceUrl)
                .setDestinationRequestConditions(destination)
                .setPollInterval(settings.pollInterval));
        PollResponse<BlobCopyInfo> last;
        try {
            last = poller.waitForCompletion(settings.timeout);
        } catch (BlobStorageException e) {
            throw e;
        } catch (RuntimeException e) {
            last = poller.poll();
        }
        BlobCopyInfo info = last.getValue();
        if (last.getStatus() == LongRunningOperationStatus.SUCCESSFULLY_COMPLETED
                && info != null && info.getCopyStatus() == CopyStatusType.SUCCESS) {
            return;
        }
        String copyId = info == null ? null : info.getCopyId();
        CopyStatusType status = info == null ? null : info.getCopyStatus();
        if (copyId != null && (status == null || status == CopyStatusType.PENDING)) {
            try {
                target.abortCopyFromUrl(copyId);
            } catch (BlobStorageException e) {
                LOG.debug("abort of copy onto {} failed with HTTP {}", target.getBlobName(), e.getStatusCode());
            }
        }
        if (createOnly && copyId != null) {
            removeOwnFailedTarget(target, copyId);
        }
        throw new IllegalStateException("asynchronous copy did not succeed within " + settings.timeout
                + " (status " + (status == null ? last.getStatus() : status) + ")");
    }

    /**
     * A failed or aborted copy leaves an unusable destination blob; under create-only it would block every
     * retry, so it is deleted if, and only if, it is still the blob this copy created.
     */
    private static void removeOwnFailedTarget(BlobClient target, String copyId) {
        try {
            var props = target.getProperties();
            if (copyId.equals(props.getCopyId())) {
                target.deleteWithResponse(null, new BlobRequestConditions().setIfMatch(props.getETag()), null,
                        Context.NONE);
            }
        } catch (BlobStorageException e) {
            LOG.debug("cleanup of failed copy onto {} failed with HTTP {}", target.getBlobName(), e.getStatusCode());
        }
    }
}
