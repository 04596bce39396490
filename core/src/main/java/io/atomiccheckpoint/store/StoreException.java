package io.atomiccheckpoint.store;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;

/**
 * A store operation failed. The message names the operation and the location; {@link #kind()} says what went
 * wrong in store-independent terms. Store implementations fill the kind from one table per cloud and keep
 * credentials, signatures and tokens out of the message.
 */
public class StoreException extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final transient Location location;

    public StoreException(ErrorKind kind, String operation, Location location, String message, Throwable cause) {
        super(kind, operation + " " + location + ": " + Messages.quote(message), cause);
        this.operation = operation;
        this.location = location;
    }

    public StoreException(ErrorKind kind, String operation, Location location, String message) {
        this(kind, operation, location, message, null);
    }

    /** The operation that failed, for example {@code copy} or {@code put}. */
    public String operation() {
        return operation;
    }

    /** The location the operation addressed (the target, for copies). */
    public Location location() {
        return location;
    }
}
