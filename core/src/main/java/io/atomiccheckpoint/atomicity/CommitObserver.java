package io.atomiccheckpoint.atomicity;

/**
 * Told at each step boundary of a commit, on the committing thread (copies: on the copying thread). For
 * metrics, progress, and for crash tests that stop a process at a chosen step. Must be thread-safe and
 * fast; an exception thrown here aborts the commit at that point, exactly like a crash.
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
}
