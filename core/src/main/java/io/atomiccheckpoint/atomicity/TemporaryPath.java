package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.staging.StagingArea;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A checkpoint being written: a temporary location that is committed, all at once, into a final location.
 * This is the reference design's {@code TemporaryPath} (Orbax {@code atomicity_types.TemporaryPath}):
 *
 * <table>
 *   <caption>Reference names and their Java counterparts</caption>
 *   <tr><th>reference</th><th>here</th></tr>
 *   <tr><td>{@code get()}</td><td>{@link #get()}</td></tr>
 *   <tr><td>{@code get_final()}</td><td>{@link #getFinal()}</td></tr>
 *   <tr><td>{@code await create()}</td><td>{@link #create()}, {@link #createBlocking()}</td></tr>
 *   <tr><td>{@code finalize()}</td><td>{@link #commit()}, {@link #commitBlocking()} ({@code finalize} is
 *       taken by {@link Object#finalize()})</td></tr>
 *   <tr><td>class methods {@code validate}, {@code validate_final}, {@code from_temporary},
 *       {@code from_final}</td><td>{@link TemporaryPathFactory}</td></tr>
 * </table>
 *
 * <p><b>Multi-host use.</b> Every host calls {@link TemporaryPathFactory#fromFinal} with the same final
 * location and gets the same temporary location, with no I/O and no coordination. Only the primary host
 * calls {@link #create()} (before any host writes) and {@link #commit()} (after every host has finished
 * writing); the other hosts only write, through {@link #staging()}. Synchronising the hosts between those
 * steps is the caller's job.
 */
public interface TemporaryPath {
    /** The temporary location, without creating it (no I/O). */
    Location get();

    /** The final location, without creating it (no I/O). */
    Location getFinal();

    /**
     * Creates the temporary location; primary host only. Leftovers of an earlier, unfinished attempt at the
     * same checkpoint are deleted first (and logged), as the reference does. Fails with
     * {@link CommitConflictException} if the final location is already committed.
     *
     * @return a stage completing with {@link #get()}
     */
    CompletionStage<Location> create();

    /**
     * Commits the temporary location into the final location; primary host only; the reference's
     * {@code finalize}. Safe to run on a background thread. Readers see either no checkpoint or the whole
     * checkpoint: the commit marker is written last, create-only. A commit interrupted at any point can be
     * retried with {@link TemporaryPathFactory#fromTemporary}.
     *
     * @return a stage completing with what the commit did, or failing with {@link CommitConflictException}
     *     if the final location was committed already, or with a {@code StoreException}
     */
    CompletionStage<CommitResult> commit();

    /** Where writers put the checkpoint's files: any host may use it, before {@link #commit()}. */
    StagingArea staging();

    /** {@link #create()}, waiting for it; failures are rethrown as they were raised. */
    default Location createBlocking() {
        return await(create());
    }

    /** {@link #commit()}, waiting for it; failures are rethrown as they were raised. */
    default CommitResult commitBlocking() {
        return await(commit());
    }

    /** Waits for a stage and rethrows its failure unwrapped, so callers catch the real exception type. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new CompletionException(cause);
        }
    }
}
