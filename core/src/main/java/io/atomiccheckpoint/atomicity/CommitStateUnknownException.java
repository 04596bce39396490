package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;

/**
 * The commit sent its marker but cannot tell whether it took effect: the response was lost, and the request
 * that would have settled it failed too. The checkpoint may or may not be committed. Do not start a new attempt
 * blindly: read the marker (its commit id is {@link #commitId()}) or resume with
 * {@code fromTemporary(attemptLocation).commit()}, which recognises its own marker and finishes. Modelled on
 * Iceberg's {@code CommitStateUnknownException}.
 */
public class CommitStateUnknownException extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;
    private final String commitId;

    public CommitStateUnknownException(Location location, String commitId, Throwable cause) {
        super(ErrorKind.UNKNOWN, location + ": the outcome of the commit is unknown; check whether the commit marker"
                + " exists with commit id " + commitId + ", or resume the attempt, which recognises its own marker", cause);
        this.location = location;
        this.commitId = commitId;
    }

    /** The final location. */
    public Location location() {
        return location;
    }

    /** The commit id the marker carries if this commit wrote it. */
    public String commitId() {
        return commitId;
    }
}
