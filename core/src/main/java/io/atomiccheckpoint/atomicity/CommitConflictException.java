package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;

/**
 * A commit cannot proceed because the final location already holds something it must not overwrite: a
 * committed checkpoint (another writer won, or this one was committed before), or an object whose content
 * differs from what is being committed. Nothing committed was changed.
 */
public class CommitConflictException extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;

    public CommitConflictException(Location location, String message) {
        this(location, message, null);
    }

    public CommitConflictException(Location location, String message, Throwable cause) {
        super(ErrorKind.CONFLICT, location + ": " + Messages.quote(message), cause);
        this.location = location;
    }

    /** The final location, or the conflicting object in it. */
    public Location location() {
        return location;
    }
}
