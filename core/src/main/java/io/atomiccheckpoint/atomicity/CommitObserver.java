package io.atomiccheckpoint.atomicity;

/**
 * Told at each step boundary of a commit, on the committing thread (copies: on the copying thread), and of
 * every object that moves (staged, or copied into the final location) with its bytes. For metrics, progress
 * bars, and for crash tests that stop a process at a chosen step. Must be thread-safe and fast; an exception
 * thrown here aborts the commit (or the staging write) at that point, exactly like a crash.
 */
@FunctionalInterface
public interface CommitObserver {
    /** Does nothing. */
    CommitObserver NONE = (step, index) -> { };

    /**
     * @param step where the commit is
     * @param index a 1-based counter for repeated steps ({@link CommitStep#OBJECT_COPIED},
     *     {@link CommitStep#TEMPORARY_BATCH_DELETED}); 0 otherwise
     */
    void onStep(CommitStep step, long index);

    /**
     * One object moved: told after it is in place, on the thread that moved it. Does nothing unless overridden.
     * Staged objects are those written through {@code TemporaryPath.staging()} ({@code write} and
     * {@code uploadDirectory}; a stream from {@code openOutputStream} is not reported).
     *
     * @param transfer which move
     * @param bytes the object's size
     */
    default void onTransfer(Transfer transfer, long bytes) {
    }

    /** The moves {@link #onTransfer} reports. */
    enum Transfer {
        /** Written into the attempt's staging location. */
        STAGED,
        /** Copied into the final location by the commit (or found there already from an earlier try). */
        COPIED
    }
}
