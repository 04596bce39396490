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
 * <p><b>Attempts.</b> Each {@link #create()} starts a new <em>attempt</em> and revokes every earlier one:
 * a stale writer (paused, partitioned, restarted) can then neither commit nor add anything to the checkpoint;
 * it gets an {@link AttemptSupersededException}. Strategies that stage beside the final location give each
 * attempt its own staging directory; {@link #get()} names it once the attempt is known.
 *
 * <p><b>Multi-host use.</b> The primary calls {@link #create()} (before any host writes), then hands
 * {@link #get()} to the other hosts, which call {@link TemporaryPathFactory#fromTemporary} with it and write
 * through {@link #staging()} (the {@code HostBarrier} carries it for jobs without a coordination service).
 * After every host has finished, the primary calls {@link #commit()}, which first seals the attempt: it
 * declares staging complete, so a later resume never commits a partial checkpoint.
 */
public interface TemporaryPath {
    /**
     * Where this attempt's files go, without I/O: the attempt's own staging directory once the attempt is known
     * (after {@link #create()}, or when this path was made from such a location), else the temporary location
     * the attempts live in.
     */
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

    /**
     * Where writers put the checkpoint's files: any host may use it, before {@link #commit()}.
     *
     * @throws io.atomiccheckpoint.AtomicCheckpointException of kind {@code INVALID_INPUT} if the attempt is not
     *     known yet (call {@link #create()} on the primary and pass its {@link #get()} to the other hosts)
     */
    StagingArea staging();

    /**
     * Declares that every writer finished staging this attempt; primary only. {@link #commit()} seals on its
     * own; call this when the commit itself is left to another process (a resume), so that it will not refuse
     * the attempt with {@link AttemptNotSealedException}.
     *
     * @throws AttemptSupersededException if a newer attempt has started
     */
    void seal();

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
