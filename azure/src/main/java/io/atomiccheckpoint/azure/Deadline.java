package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The end of one store operation ({@code azure.timeout.operation} after it started), which every SDK call of
 * the operation receives as its remaining time. The synchronous SDK honours a {@link Duration} timeout by
 * waiting for its request on another thread; its try timeout alone does not bound a synchronous call whose
 * server never answers, which is why each call gets this deadline.
 */
final class Deadline {
    private final long endNanos;
    private final String operation;
    private final Location location;

    private Deadline(Duration total, String operation, Location location) {
        this.endNanos = System.nanoTime() + total.toNanos();
        this.operation = operation;
        this.location = location;
    }

    /** A deadline {@code total} from now for {@code operation} on {@code location}. */
    static Deadline after(Duration total, String operation, Location location) {
        return new Deadline(total, operation, location);
    }

    /**
     * The time left, at least one millisecond (the SDK treats a zero timeout as none).
     *
     * @throws StoreException of kind {@link ErrorKind#TIMEOUT} once the deadline has passed
     */
    Duration remaining() {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw expired();
        }
        return Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    /** Whether the deadline has passed. */
    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    StoreException expired() {
        return new StoreException(ErrorKind.TIMEOUT, operation, location,
                "the operation did not finish within azure.timeout.operation");
    }

    /**
     * Runs an SDK call that takes no timeout of its own on {@code executor} and waits for it until the deadline;
     * on expiry or interrupt the call is cancelled (its thread interrupted). Failures of the call are rethrown
     * as they were, for the caller's translation.
     */
    <T> T bound(ExecutorService executor, Callable<T> call) {
        Duration left = remaining();
        Future<T> future = executor.submit(call);
        try {
            return future.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw expired();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreException(ErrorKind.INTERRUPTED, operation, location, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Waits {@code pause}, or less if the deadline comes first; an interrupt ends the operation. */
    void sleep(Duration pause) {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw expired();
        }
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(pause.toNanos(), left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(ErrorKind.INTERRUPTED, operation, location, "interrupted", e);
        }
    }
}
