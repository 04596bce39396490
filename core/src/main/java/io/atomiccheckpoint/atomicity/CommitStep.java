package io.atomiccheckpoint.atomicity;

/** The boundaries of a commit at which a {@link CommitObserver} is told where the commit is. */
public enum CommitStep {
    /** The commit started and checked that the final location is not committed yet. */
    STARTED,
    /** One object was copied into the final location; the index counts copies from 1. */
    OBJECT_COPIED,
    /** Every object is in place; the marker is about to be written. */
    BEFORE_MARKER,
    /** The marker is written: the checkpoint is committed. */
    MARKER_WRITTEN,
    /** One batch of temporary objects was deleted; the index counts batches from 1. */
    TEMPORARY_BATCH_DELETED,
    /** The commit is complete. */
    FINISHED
}
