package io.atomiccheckpoint.azure;

import com.azure.core.http.RequestConditions;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobBeginCopySourceRequestConditions;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a blob inside the account without the bytes passing through this process: Copy Blob From URL
 * (synchronous) for sources up to {@code azure.syncCopyMaxBytes}, else the asynchronous Copy Blob (Start Copy),
 * polled until it ends. Every copy is pinned to a source version, enforced by the service in the copy request
 * itself ({@code x-ms-source-if-match}): the caller's pinned version, or for an unpinned copy the ETag a Get
 * Blob Properties of the source just returned, so the copy's size is that version's size and never an echo of
 * the caller's input. A {@link PutMode#CREATE} destination sends {@code If-None-Match: *} on the same request,
 * so a copy never replaces an object it must not.
 */
final class ServerSideCopier {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSideCopier.class);
    /** How long a synchronous copy's source SAS lives: the copy finishes within one request. */
    private static final Duration SYNC_SOURCE_VALIDITY = Duration.ofMinutes(30);
    /** How often an unpinned copy re-reads its source when the source changed between the read and the copy. */
    private static final int UNPINNED_ATTEMPTS = 3;
    /** The budget of the best-effort clean-up after an asynchronous copy failed or ran out of time. */
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(10);

    /** Which service operation a copy used. */
    enum Path {
        SYNC_COPY_FROM_URL, ASYNC_COPY
    }

    /** Which condition of a copy the service refused. */
    private enum Refused {
        SOURCE, TARGET, UNKNOWN
    }

    private final long syncCopyMaxBytes;
    private final Duration pollInterval;
    private final Duration asyncSourceValidity;
    private final CopySourceAuthorizer authorizer;
    private final AzureFailures failures;
    private final ExecutorService executor;

    ServerSideCopier(long syncCopyMaxBytes, Duration pollInterval, Duration operationTimeout,
            CopySourceAuthorizer authorizer, AzureFailures failures, ExecutorService executor) {
        this.syncCopyMaxBytes = syncCopyMaxBytes;
        this.pollInterval = pollInterval;
        // The service may read the source until the copy ends, so the source SAS outlives the operation.
        this.asyncSourceValidity = operationTimeout.plusMinutes(10);
        this.authorizer = authorizer;
        this.failures = failures;
        this.executor = executor;
    }

    /** The operation a copy of {@code sourceSize} bytes takes. */
    Path pathFor(long sourceSize) {
        return sourceSize <= syncCopyMaxBytes ? Path.SYNC_COPY_FROM_URL : Path.ASYNC_COPY;
    }

    /**
     * Copies {@code source} onto {@code target} as {@code options} say.
     *
     * @return the target as the service reported it: the copy response's ETag and Last-Modified with the pinned
     *     version's size (synchronous copies), or the target's properties once the copy finished (asynchronous)
     */
    ObjectInfo copy(BlobClient source, Location sourceLocation, BlobClient target, Location targetLocation,
            CopyOptions options, Deadline deadline) {
        boolean create = options.destination() instanceof PutMode.Create;
        for (int attempt = 1; ; attempt++) {
            String pin = options.sourceVersion();
            long pinnedSize = pin == null ? -1 : options.sourceSize();
            long pathSize = pinnedSize;
            if (pin == null || pinnedSize < 0) {
                BlobProperties seen = readSource(source, sourceLocation, pin == null, deadline);
                if (seen != null) {
                    pathSize = seen.getBlobSize();
                    if (pin == null) {
                        // Unpinned: pin to what was just read, so the size below belongs to what is copied.
                        pin = seen.getETag();
                        pinnedSize = seen.getBlobSize();
                    } else if (BlobObjectInfo.unquote(pin).equals(BlobObjectInfo.unquote(seen.getETag()))) {
                        pinnedSize = seen.getBlobSize();
                    }
                }
            }
            try {
                return pathFor(Math.max(0, pathSize)) == Path.SYNC_COPY_FROM_URL
                        ? syncCopy(source, target, targetLocation, pin, pinnedSize, create, deadline)
                        : asyncCopy(source, target, targetLocation, pin, create, deadline);
            } catch (RuntimeException e) {
                StoreException failure = translate(e, source, sourceLocation, targetLocation, pin, create, deadline);
                boolean sourceMoved = failure instanceof SourceChanged;
                if (!(sourceMoved && options.sourceVersion() == null && attempt < UNPINNED_ATTEMPTS)) {
                    throw failure;
                }
                // An unpinned copy only pinned itself to be exact; a source replaced meanwhile is read again.
            }
        }
    }

    /**
     * Get Blob Properties of the source: for an unpinned copy the version to pin and its size, for a pinned copy
     * without a size the size that picks the copy operation. Only a read; the copy request enforces the pin.
     *
     * @return the properties, or null if a pinned copy's source is gone (the copy request then reports it)
     */
    private BlobProperties readSource(BlobClient source, Location sourceLocation, boolean needed, Deadline deadline) {
        try {
            return source.getPropertiesWithResponse(null, deadline.remaining(), Context.NONE).getValue();
        } catch (RuntimeException e) {
            BlobStorageException answer = AzureFailures.serviceAnswer(e);
            if (answer != null && AzureFailures.isMissingBlob(answer)) {
                if (needed) {
                    throw new ObjectNotFoundException("copy", sourceLocation, failures.redacted(e));
                }
                return null;
            }
            throw failures.translate("copy", sourceLocation, e);
        }
    }

    private ObjectInfo syncCopy(BlobClient source, BlobClient target, Location targetLocation, String pin,
            long pinnedSize, boolean create, Deadline deadline) {
        String url = authorizer.sourceUrl(source, SYNC_SOURCE_VALIDITY);
        Response<String> response = target.copyFromUrlWithResponse(new BlobCopyFromUrlOptions(url)
                .setSourceRequestConditions(new RequestConditions().setIfMatch(BlobObjectInfo.quote(pin)))
                .setDestinationRequestConditions(destination(create)), deadline.remaining(), Context.NONE);
        if (pinnedSize >= 0) {
            // The response has no size; the service enforced the source's version, whose size this is.
            return BlobObjectInfo.ofResponse(targetLocation.key(), pinnedSize, response.getHeaders(), true);
        }
        // The pinned version's size is unknown here: read it from the blob this copy created, and only that one.
        String etag = BlobObjectInfo.ofResponse(targetLocation.key(), 0, response.getHeaders(), false).version()
                .orElseThrow();
        try {
            return BlobObjectInfo.of(targetLocation.key(), target.getPropertiesWithResponse(
                    new BlobRequestConditions().setIfMatch(BlobObjectInfo.quote(etag)), deadline.remaining(),
                    Context.NONE).getValue());
        } catch (BlobStorageException e) {
            if (AzureFailures.kindOf(e.getStatusCode(), AzureFailures.code(e)) == ErrorKind.PRECONDITION_FAILED
                    || AzureFailures.isMissingBlob(e)) {
                throw new StoreException(ErrorKind.CONFLICT, "copy", targetLocation, "the copy succeeded, but"
                        + " another writer replaced the target before the copy could be read back");
            }
            throw e;
        }
    }

    private ObjectInfo asyncCopy(BlobClient source, BlobClient target, Location targetLocation, String pin,
            boolean create, Deadline deadline) {
        String url = authorizer.sourceUrl(source, asyncSourceValidity);
        BlobBeginCopyOptions begin = new BlobBeginCopyOptions(url)
                .setSourceRequestConditions(new BlobBeginCopySourceRequestConditions()
                        .setIfMatch(BlobObjectInfo.quote(pin)))
                .setDestinationRequestConditions(destination(create))
                .setPollInterval(pollInterval);
        // beginCopy sends Start Copy at once and takes no timeout, so it waits on another thread.
        SyncPoller<BlobCopyInfo, Void> poller = deadline.bound(executor, () -> target.beginCopy(begin));
        // The activation response is already there: waiting for IN_PROGRESS returns it without polling.
        BlobCopyInfo started = poller.waitUntil(LongRunningOperationStatus.IN_PROGRESS).getValue();
        String copyId = started.getCopyId();
        try {
            while (true) {
                BlobProperties p = target.getPropertiesWithResponse(null, deadline.remaining(), Context.NONE)
                        .getValue();
                if (copyId == null || !copyId.equals(p.getCopyId())) {
                    throw new StoreException(ErrorKind.CONFLICT, "copy", targetLocation, "another writer replaced"
                            + " the target while the asynchronous copy ran");
                }
                CopyStatusType status = p.getCopyStatus();
                if (CopyStatusType.SUCCESS.equals(status)) {
                    // Read after the copy ended and carrying this copy's id: the target as the service holds it.
                    return BlobObjectInfo.of(targetLocation.key(), p);
                }
                if (!CopyStatusType.PENDING.equals(status)) {
                    removeOwnFailedTarget(target, copyId, create);
                    throw new StoreException(ErrorKind.TRANSIENT, "copy", targetLocation, "the asynchronous copy"
                            + " ended with status " + status);
                }
                deadline.sleep(pollInterval);
            }
        } catch (StoreException e) {
            if (e.kind() == ErrorKind.TIMEOUT || e.kind() == ErrorKind.INTERRUPTED) {
                abort(target, copyId, create);
            }
            throw e;
        } catch (RuntimeException e) {
            if (AzureFailures.serviceAnswer(e) == null) {
                abort(target, copyId, create);
            }
            throw e;
        }
    }

    private static BlobRequestConditions destination(boolean create) {
        return create ? new BlobRequestConditions().setIfNoneMatch("*") : null;
    }

    /**
     * Stops a copy this store gave up on, so it cannot complete later, and removes what it left. Abort Copy Blob
     * names the copy id, and the service refuses it for any other copy, so it stops only this store's copy.
     */
    private static void abort(BlobClient target, String copyId, boolean create) {
        if (copyId == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            target.abortCopyFromUrlWithResponse(copyId, null, CLEANUP_TIMEOUT, Context.NONE);
        } catch (RuntimeException e) {
            LOG.debug("abort of copy onto {} failed: {}", target.getBlobName(), e.getClass().getName());
        }
        removeOwnFailedTarget(target, copyId, create);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A failed or aborted copy leaves an unusable destination blob; under create-only it would block every
     * retry. It is deleted with {@code If-Match: <its ETag>} after its copy id was seen to be this copy's, so the
     * delete removes the blob this copy created and nothing another writer put there since.
     */
    private static void removeOwnFailedTarget(BlobClient target, String copyId, boolean create) {
        if (!create) {
            return;
        }
        try {
            BlobProperties props = target.getPropertiesWithResponse(null, CLEANUP_TIMEOUT, Context.NONE).getValue();
            if (copyId.equals(props.getCopyId())) {
                target.deleteWithResponse(null, new BlobRequestConditions().setIfMatch(
                        BlobObjectInfo.quote(props.getETag())), CLEANUP_TIMEOUT, Context.NONE);
            }
        } catch (RuntimeException e) {
            LOG.debug("clean-up of failed copy onto {} failed: {}", target.getBlobName(), e.getClass().getName());
        }
    }

    /**
     * The exception for a failed copy, naming what the service refused: a missing source is an
     * {@link ObjectNotFoundException} for the source, a refused pin a {@link PreconditionFailedException} naming the
     * source and its expected version, a refused create-only destination one for the target.
     */
    private StoreException translate(RuntimeException e, BlobClient source, Location sourceLocation,
            Location targetLocation, String pin, boolean create, Deadline deadline) {
        if (e instanceof StoreException) {
            return (StoreException) e;
        }
        BlobStorageException answer = AzureFailures.serviceAnswer(e);
        if (answer == null) {
            return failures.translate("copy", targetLocation, e);
        }
        ErrorKind kind = AzureFailures.kindOf(answer.getStatusCode(), AzureFailures.code(answer));
        RedactedException cause = failures.redacted(e);
        if (kind == ErrorKind.NOT_FOUND && AzureFailures.isMissingBlob(answer)) {
            // Only the source is read: a missing blob is the source.
            return new ObjectNotFoundException("copy", sourceLocation, cause);
        }
        if (kind != ErrorKind.PRECONDITION_FAILED) {
            return failures.translate("copy", targetLocation, e);
        }
        String what = AzureFailures.describe(answer.getStatusCode(), AzureFailures.code(answer));
        switch (refused(answer, source, pin, create, deadline)) {
            case SOURCE:
                return new SourceChanged(targetLocation, "the source " + sourceLocation + " is no longer version "
                        + pin + " (" + what + "); it changed since it was listed", cause);
            case TARGET:
                return new PreconditionFailedException("copy", targetLocation, "create-only precondition failed: an"
                        + " object already exists there (" + what + ")", cause);
            default:
                return new PreconditionFailedException("copy", targetLocation, "the service refused a condition ("
                        + what + "): either the source " + sourceLocation + " is no longer version " + pin
                        + " or an object already exists at the target", cause);
        }
    }

    /**
     * Which condition a refusal concerns. The error codes say it on Azure (BlobAlreadyExists and
     * TargetConditionNotMet for the destination, SourceConditionNotMet and CannotVerifyCopySource for the
     * source); a plain ConditionNotMet (Azurite's answer to a refused source condition) is the source's when no
     * destination condition was sent, and otherwise is attributed by reading the source once more. That read
     * only names the refused condition; the service already decided.
     */
    private static Refused refused(BlobStorageException answer, BlobClient source, String pin, boolean create,
            Deadline deadline) {
        String code = AzureFailures.code(answer);
        if ("BlobAlreadyExists".equalsIgnoreCase(code) || "TargetConditionNotMet".equalsIgnoreCase(code)) {
            return Refused.TARGET;
        }
        if ("SourceConditionNotMet".equalsIgnoreCase(code) || "CannotVerifyCopySource".equalsIgnoreCase(code)
                || !create) {
            return Refused.SOURCE;
        }
        if (deadline.passed()) {
            return Refused.UNKNOWN;
        }
        try {
            String now = source.getPropertiesWithResponse(null, deadline.remaining(), Context.NONE).getValue()
                    .getETag();
            return BlobObjectInfo.unquote(now).equals(BlobObjectInfo.unquote(pin)) ? Refused.TARGET : Refused.SOURCE;
        } catch (BlobStorageException e) {
            return AzureFailures.isMissingBlob(e) ? Refused.SOURCE : Refused.UNKNOWN;
        } catch (RuntimeException e) {
            return Refused.UNKNOWN;
        }
    }

    /** A refused source pin; a distinct type only so that an unpinned copy knows to read its source again. */
    private static final class SourceChanged extends PreconditionFailedException {
        private static final long serialVersionUID = 1L;

        SourceChanged(Location target, String message, Throwable cause) {
            super("copy", target, message, cause);
        }
    }
}
