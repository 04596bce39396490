package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;

/**
 * A newer attempt at the same checkpoint called {@code create()} and so revoked this attempt's lease: this
 * writer is stale (it was paused, partitioned or restarted) and may no longer commit. Nothing it did after the
 * revocation can reach the checkpoint. {@link #newerAttempt()} names the attempt that now holds the lease.
 */
public class AttemptSupersededException extends CommitConflictException {
    private static final long serialVersionUID = 1L;

    private final String attempt;
    private final String newerAttempt;

    public AttemptSupersededException(Location location, String attempt, String newerAttempt, Throwable cause) {
        super(location, "attempt " + attempt + " was superseded by " + (newerAttempt == null
                ? "a newer attempt that has since finished or been cleaned up" : "attempt " + newerAttempt)
                + " (its create() revoked this attempt's lease); this writer is stale and must not commit", cause);
        this.attempt = attempt;
        this.newerAttempt = newerAttempt;
    }

    /** The stale attempt. */
    public String attempt() {
        return attempt;
    }

    /** The attempt holding the lease now, or null if the lease is gone. */
    public String newerAttempt() {
        return newerAttempt;
    }
}
