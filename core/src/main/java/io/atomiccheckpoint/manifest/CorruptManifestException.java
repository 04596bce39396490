package io.atomiccheckpoint.manifest;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;

/** A commit marker could not be read as a manifest: malformed, truncated, too large or inconsistent. */
public class CorruptManifestException extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    /** Which rule the marker broke, so callers can report it precisely. */
    public enum Problem {
        TOO_LARGE, MALFORMED, UNSUPPORTED_VERSION, ENTRY_OUTSIDE_CHECKPOINT, INCONSISTENT
    }

    private final Problem problem;

    public CorruptManifestException(Problem problem, String message, Throwable cause) {
        super(problem == Problem.UNSUPPORTED_VERSION ? ErrorKind.NOT_SUPPORTED : ErrorKind.CORRUPT, Messages.quote(message), cause);
        this.problem = problem;
    }

    public CorruptManifestException(Problem problem, String message) {
        this(problem, message, null);
    }

    public Problem problem() {
        return problem;
    }
}
