package io.atomiccheckpoint;

/**
 * The one unchecked base of every exception this library throws on purpose, so a caller can catch one type
 * and branch on {@link #kind()}. Messages name what failed and where, cap and escape what they quote
 * ({@link Messages#quote}), and never carry credentials.
 */
public class AtomicCheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public AtomicCheckpointException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public AtomicCheckpointException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
    }

    /** What went wrong, independent of the store. */
    public ErrorKind kind() {
        return kind;
    }

    /** Whether repeating the operation later may succeed; {@link ErrorKind#retryable()} of {@link #kind()}. */
    public boolean retryable() {
        return kind.retryable();
    }

    /**
     * The exception for a thread interrupted while it waited: sets the interrupt status again, so code further
     * up still sees it, and returns an {@link ErrorKind#INTERRUPTED} exception to throw.
     */
    public static AtomicCheckpointException interrupted(String what, InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new AtomicCheckpointException(ErrorKind.INTERRUPTED, "interrupted while " + what, cause);
    }
}
