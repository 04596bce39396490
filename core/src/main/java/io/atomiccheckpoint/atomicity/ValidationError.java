package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;

/**
 * A temporary or final location is not what the protocol requires: the reference design's
 * {@code ValidationError}. The message names the location and the rule it broke; {@link #rule()} gives the
 * rule to code, and {@link #kind()} follows from it ({@link ErrorKind#NOT_FOUND} for a missing marker,
 * {@link ErrorKind#CORRUPT} for a damaged one, {@link ErrorKind#INVALID_INPUT} for a location of the wrong shape).
 *
 * <p>It is unchecked, unlike in the first version of this library. Checked, it forced a {@code try} around
 * every {@code fromFinal} and {@code validateFinal}, which most callers only rethrew; the reference raises it
 * as an ordinary exception; and one unchecked base ({@link AtomicCheckpointException}) lets callers catch every
 * failure of the library in one place. Methods that throw it still declare it, so it stays visible in
 * signatures and Javadoc.
 */
public class ValidationError extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    /** The rules a location can break. */
    public enum Rule {
        /** The final location is a bucket or filesystem root; a checkpoint needs a name. */
        ROOT_LOCATION,
        /** The temporary location's name does not end with the strategy's temporary suffix. */
        NOT_A_TEMPORARY_NAME,
        /** The final location's name ends with the temporary suffix. */
        FINAL_NAMED_LIKE_TEMPORARY,
        /** Nothing exists at the location. */
        NOT_FOUND,
        /** The location exists but is not a directory (local disks). */
        NOT_A_DIRECTORY,
        /** The location is a symbolic link, which the protocol refuses. */
        SYMLINK,
        /** The final location has no commit marker: it is not a finalized checkpoint. */
        NO_MARKER,
        /** The commit marker is larger than the configured limit. */
        MARKER_TOO_LARGE,
        /** The commit marker is malformed, truncated or inconsistent. */
        MARKER_CORRUPT,
        /** The commit marker was written by a newer format version. */
        MARKER_UNSUPPORTED_VERSION,
        /** A marker entry names an object outside the checkpoint. */
        MARKER_ENTRY_OUTSIDE_CHECKPOINT,
        /** The location's store or scheme cannot be used by this strategy. */
        UNSUPPORTED_LOCATION,
        /** An option (for example the snapshot type) is not supported by this strategy. */
        UNSUPPORTED_OPTION
    }

    private final transient Location location;
    private final Rule rule;

    public ValidationError(Location location, Rule rule, String detail) {
        this(location, rule, detail, null);
    }

    public ValidationError(Location location, Rule rule, String detail, Throwable cause) {
        super(kindOf(rule), location + ": " + rule + ": " + Messages.quote(detail), cause);
        this.location = location;
        this.rule = rule;
    }

    private static ErrorKind kindOf(Rule rule) {
        switch (rule) {
            case NOT_FOUND:
            case NO_MARKER:
                return ErrorKind.NOT_FOUND;
            case MARKER_TOO_LARGE:
            case MARKER_CORRUPT:
            case MARKER_ENTRY_OUTSIDE_CHECKPOINT:
                return ErrorKind.CORRUPT;
            case MARKER_UNSUPPORTED_VERSION:
            case UNSUPPORTED_LOCATION:
            case UNSUPPORTED_OPTION:
                return ErrorKind.NOT_SUPPORTED;
            default:
                return ErrorKind.INVALID_INPUT;
        }
    }

    /** The location that failed validation. */
    public Location location() {
        return location;
    }

    /** The rule it broke. */
    public Rule rule() {
        return rule;
    }
}
