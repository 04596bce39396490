package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;

/**
 * A commit was asked to resume an attempt whose writers never declared staging complete (the attempt was not
 * sealed), typically after the primary was killed while hosts were still writing. Committing it could publish
 * a partial checkpoint, so it is refused: start a new attempt with {@code create()}, or, if you know every
 * writer finished, seal it with {@link TemporaryPath#seal()} or resume with
 * {@link TemporaryPathOptions.Builder#resumeUnsealed(boolean)}.
 */
public class AttemptNotSealedException extends CommitConflictException {
    private static final long serialVersionUID = 1L;

    public AttemptNotSealedException(Location location, String attempt) {
        super(location, "attempt " + attempt + " was never sealed (its writers did not declare staging complete);"
                + " refusing to commit what may be a partial checkpoint. Call create() to start over, or seal() /"
                + " resumeUnsealed(true) if every writer is known to have finished");
    }
}
