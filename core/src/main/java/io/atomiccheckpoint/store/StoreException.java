package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;

/**
 * A store operation failed. The message names the operation and the location; implementations must keep
 * credentials, signatures and tokens out of it.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final transient Location location;

    public StoreException(String operation, Location location, String message, Throwable cause) {
        super(operation + " " + location + ": " + message, cause);
        this.operation = operation;
        this.location = location;
    }

    public StoreException(String operation, Location location, String message) {
        this(operation, location, message, null);
    }

    /** The operation that failed, for example {@code copy} or {@code write}. */
    public String operation() {
        return operation;
    }

    /** The location the operation addressed (the target, for copies). */
    public Location location() {
        return location;
    }
}
