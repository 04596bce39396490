package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;

/**
 * A create-only write or copy found an object already at the target ({@link WriteMode#CREATE}). This is the
 * signal the commit protocol relies on to make the commit marker exactly-once.
 */
public class PreconditionFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(String operation, Location location, Throwable cause) {
        super(operation, location, "create-only precondition failed: an object already exists there", cause);
    }
}
