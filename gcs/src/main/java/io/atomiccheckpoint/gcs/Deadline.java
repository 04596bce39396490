package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import java.time.Duration;

/**
 * The end of one operation's {@code gcs.timeout.operation}. Each SDK request already stops retrying at that
 * budget; an operation made of several requests (a read's metadata and media requests, a rewrite's calls, a
 * download-upload copy) also checks it before every request after the first, so the whole operation ends with
 * {@link ErrorKind#TIMEOUT} instead of starting another full budget.
 */
final class Deadline {
    private final long endNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    static Deadline start(Duration budget) {
        return new Deadline(budget);
    }

    /** Throws {@link ErrorKind#TIMEOUT} if the operation's time is up; call it before each further request. */
    void check(String operation, Location location) {
        if (System.nanoTime() - endNanos >= 0) {
            throw new StoreException(ErrorKind.TIMEOUT, operation, location, "the operation did not finish within "
                    + GcsSettings.OPERATION_TIMEOUT.key() + " (" + budget + ")");
        }
    }
}
