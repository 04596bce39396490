package io.atomiccheckpoint;

/**
 * What went wrong, independent of the store: each cloud fills it from one table of (HTTP status, service error
 * code) pairs, so callers decide on retries and alerts without knowing which cloud they talk to.
 */
public enum ErrorKind {
    /** The object or location does not exist. */
    NOT_FOUND(false),
    /**
     * A condition of the request did not hold: a create-only write found an object, an update found another
     * version, a copy's source changed since it was listed. The request changed nothing.
     */
    PRECONDITION_FAILED(false),
    /** The commit lost to another writer or attempt, or would overwrite data it must not touch. */
    CONFLICT(false),
    /** The credentials are valid but may not do this. */
    PERMISSION_DENIED(false),
    /** No valid credentials were presented. */
    UNAUTHENTICATED(false),
    /** The service asked the client to slow down (HTTP 429, S3 SlowDown, 503 on GCS). */
    THROTTLED(true),
    /** A failure that may pass on its own: connection reset, 500, 502, 503. */
    TRANSIENT(true),
    /** The operation did not finish within its deadline; it may or may not have taken effect. */
    TIMEOUT(true),
    /** The thread was interrupted or the operation cancelled; the interrupt status is kept. */
    INTERRUPTED(false),
    /** The store cannot provide what was asked (for example a conditional update), and refuses rather than weaken it. */
    NOT_SUPPORTED(false),
    /** The caller passed something invalid: a malformed location, an unknown setting, a bad name. */
    INVALID_INPUT(false),
    /** Stored data is damaged or not what the protocol wrote: an unreadable marker, a copy that does not match. */
    CORRUPT(false),
    /** Anything else; the message and the cause say more. */
    UNKNOWN(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether repeating the same request later may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
