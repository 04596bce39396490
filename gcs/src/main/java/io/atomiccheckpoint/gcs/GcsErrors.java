package io.atomiccheckpoint.gcs;

import com.google.cloud.BaseServiceException;
import com.google.cloud.storage.StorageException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import java.util.Optional;

/**
 * Turns SDK failures into core's exceptions: 412 into {@link PreconditionFailedException}, 404 into
 * {@link ObjectNotFoundException}, anything else into a {@link StoreException} naming the HTTP status and
 * the service's reason. Only the status, reason and the service's message are kept; request headers (where
 * credentials travel) never reach the message.
 */
final class GcsErrors {
    static final int NOT_FOUND = 404;
    static final int PRECONDITION_FAILED = 412;

    private GcsErrors() {
    }

    /** The SDK exception in {@code t}'s cause chain, if any (uploads wrap it in IOExceptions). */
    static Optional<StorageException> storageException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StorageException) {
                return Optional.of((StorageException) c);
            }
        }
        return Optional.empty();
    }

    static int code(Throwable t) {
        return storageException(t).map(BaseServiceException::getCode).orElse(0);
    }

    /** A failure where a 404 means the object (the read or copy source) is missing. */
    static StoreException translate(String operation, Location location, Throwable t) {
        int code = code(t);
        if (code == PRECONDITION_FAILED) {
            return new PreconditionFailedException(operation, location, t);
        }
        if (code == NOT_FOUND) {
            return new ObjectNotFoundException(operation, location, t);
        }
        return generic(operation, location, t);
    }

    /** A failure reported as-is, with its HTTP status and reason. */
    static StoreException generic(String operation, Location location, Throwable t) {
        return new StoreException(operation, location, describe(t), t);
    }

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
                sb.append(" [retryable; the client's retry budget was exhausted]");
            }
            return sb.toString();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
