package io.atomiccheckpoint.gcs;

import com.google.cloud.BaseServiceException;
import com.google.cloud.storage.StorageException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.Optional;

/**
 * The GCS error model: the one table that turns what the service or the transport reported into an
 * {@link ErrorKind}, and the exceptions built from it. Every failure of {@link GcsObjectStore} goes through
 * {@link #translate}, so the same status means the same kind whatever the operation.
 *
 * <p>Messages carry the HTTP status, the service's reason and the service's message only; request headers, where
 * credentials travel, never reach them, and {@link StoreException} quotes the text it is given.
 */
final class GcsErrors {
    static final int NOT_FOUND = 404;
    static final int PRECONDITION_FAILED = 412;

    /** One row of the table: a status, the service's reason ({@code null} for any) and the kind. */
    record Row(int status, String reason, ErrorKind kind) {
    }

    /**
     * The table, first match wins, so reason-specific rows come before their status's catch-all. Failures without
     * an HTTP status (the SDK reports code 0) are classified by their cause in {@link #kindOf(Throwable)}.
     */
    static final List<Row> TABLE = List.of(
            new Row(400, null, ErrorKind.INVALID_INPUT),
            new Row(401, null, ErrorKind.UNAUTHENTICATED),
            // Older APIs report rate limits as 403 with these reasons; they are throttling, not a lack of permission.
            new Row(403, "rateLimitExceeded", ErrorKind.THROTTLED),
            new Row(403, "userRateLimitExceeded", ErrorKind.THROTTLED),
            new Row(403, null, ErrorKind.PERMISSION_DENIED),
            new Row(404, null, ErrorKind.NOT_FOUND),
            new Row(408, null, ErrorKind.TRANSIENT),
            // A concurrent operation on the same object (GCS "conflict"): another writer won.
            new Row(409, null, ErrorKind.CONFLICT),
            new Row(412, null, ErrorKind.PRECONDITION_FAILED),
            new Row(416, null, ErrorKind.INVALID_INPUT),
            new Row(429, null, ErrorKind.THROTTLED),
            new Row(500, null, ErrorKind.TRANSIENT),
            new Row(502, null, ErrorKind.TRANSIENT),
            // GCS answers 503 when a bucket or object gets more load than it can take: slow down.
            new Row(503, null, ErrorKind.THROTTLED),
            new Row(504, null, ErrorKind.TRANSIENT));

    private GcsErrors() {
    }

    /** The kind for an HTTP status and the service's reason, from {@link #TABLE}; {@code UNKNOWN} if no row fits. */
    static ErrorKind kindOf(int status, String reason) {
        for (Row row : TABLE) {
            if (row.status == status && (row.reason == null || row.reason.equals(reason))) {
                return row.kind;
            }
        }
        return ErrorKind.UNKNOWN;
    }

    /**
     * The kind of any failure: an HTTP status through the table (the service answered, whatever happened to the
     * thread meanwhile); without one, an interrupt is {@code INTERRUPTED}, a socket timeout {@code TIMEOUT},
     * another I/O failure {@code TRANSIENT}, anything else {@code UNKNOWN}. An interrupt found in the chain sets the
     * thread's interrupt status again (the SDK catches interrupts and clears it), so code further up still sees it.
     */
    static ErrorKind kindOf(Throwable t) {
        Optional<StorageException> se = storageException(t);
        if (se.isPresent() && se.get().getCode() > 0) {
            return kindOf(se.get().getCode(), se.get().getReason());
        }
        if (interrupted(t)) {
            Thread.currentThread().interrupt();
            return ErrorKind.INTERRUPTED;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException) {
                return ErrorKind.TIMEOUT;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return ErrorKind.TRANSIENT;
            }
        }
        return ErrorKind.UNKNOWN;
    }

    /** Whether {@code t} is an interrupt (or the thread is interrupted); the SDK wraps interrupts in its own types. */
    private static boolean interrupted(Throwable t) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof ClosedByInterruptException
                    || (c instanceof InterruptedIOException && !(c instanceof SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }

    /** The SDK exception in {@code t}'s cause chain, if any (uploads and reads wrap it in IOExceptions). */
    static Optional<StorageException> storageException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StorageException) {
                return Optional.of((StorageException) c);
            }
        }
        return Optional.empty();
    }

    /** The HTTP status of {@code t}, or 0 if no response was received. */
    static int code(Throwable t) {
        return storageException(t).map(BaseServiceException::getCode).orElse(0);
    }

    /**
     * The exception for a failed request: {@link PreconditionFailedException} for 412,
     * {@link ObjectNotFoundException} for 404 (so callers pass the location whose absence a 404 means, the source
     * of a copy), otherwise a {@link StoreException} of the table's kind.
     */
    static StoreException translate(String operation, Location location, Throwable t) {
        if (t instanceof StoreException) {
            return (StoreException) t;
        }
        Optional<StoreException> ours = ourOwn(t);
        if (ours.isPresent()) {
            return ours.get();
        }
        ErrorKind kind = kindOf(t);
        switch (kind) {
            case PRECONDITION_FAILED:
                return new PreconditionFailedException(operation, location, "precondition failed: "
                        + describe(t), t);
            case NOT_FOUND:
                return new ObjectNotFoundException(operation, location, t);
            case INTERRUPTED:
                return new StoreException(kind, operation, location, "interrupted", t);
            default:
                return new StoreException(kind, operation, location, describe(t), t);
        }
    }

    /** A {@link StoreException} this store threw inside a stream the SDK wrapped, for example an upload's source. */
    static Optional<StoreException> ourOwn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StoreException) {
                return Optional.of((StoreException) c);
            }
        }
        return Optional.empty();
    }

    /** The exception for a thread that was interrupted before a request; the interrupt status stays set. */
    static StoreException interruptedBefore(String operation, Location location) {
        return new StoreException(ErrorKind.INTERRUPTED, operation, location,
                "the thread was interrupted; no request was sent");
    }

    /** The status, the service's reason and message, or the transport failure; nothing of the request. */
    static String describe(Throwable t) {
        Optional<StorageException> se = storageException(t);
        if (se.isPresent()) {
            StorageException e = se.get();
            StringBuilder sb = new StringBuilder("GCS error");
            if (e.getCode() != 0) {
                sb.append(" HTTP ").append(e.getCode());
            }
            if (e.getReason() != null) {
                sb.append(" (").append(e.getReason()).append(')');
            }
            if (e.getMessage() != null) {
                sb.append(": ").append(e.getMessage());
            }
            if (e.isRetryable()) {
                sb.append(" [retryable; the retry budget or the operation deadline was used up]");
            }
            return sb.toString();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
