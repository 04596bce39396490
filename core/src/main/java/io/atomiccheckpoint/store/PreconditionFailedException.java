package io.atomiccheckpoint.store;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;

/**
 * A condition of a write or copy did not hold, and the request changed nothing: a create-only request
 * ({@link PutMode#CREATE}) found an object at the target, an update ({@link PutMode#update}) found another
 * version, or a copy's source is no longer the version it was pinned to ({@link CopyOptions#sourceVersion()}).
 * This is the signal the commit protocol relies on for exactly-once markers and for fencing.
 */
public class PreconditionFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** A create-only write or copy found an object at {@code location}. */
    public PreconditionFailedException(String operation, Location location, Throwable cause) {
        this(operation, location, "create-only precondition failed: an object already exists there", cause);
    }

    /** Any other refused condition; {@code message} says which. */
    public PreconditionFailedException(String operation, Location location, String message, Throwable cause) {
        super(ErrorKind.PRECONDITION_FAILED, operation, location, message, cause);
    }
}
