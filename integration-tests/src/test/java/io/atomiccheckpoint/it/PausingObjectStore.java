package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * Holds calls that match a predicate (operation and location, as {@link ForwardingObjectStore} names them) until
 * released, so a test can stop one writer in front of a chosen request without sleeping. Matching calls are held
 * only while armed; {@link #awaitReached} tells the test that one is waiting.
 */
final class PausingObjectStore extends ForwardingObjectStore {
    private final BiPredicate<String, Location> match;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Duration limit;
    private volatile boolean armed;

    PausingObjectStore(ObjectStore delegate, BiPredicate<String, Location> match, Duration limit) {
        super(delegate);
        this.match = match;
        this.limit = limit;
    }

    void arm() {
        armed = true;
    }

    void release() {
        release.countDown();
    }

    /** Waits until a matching call is held; false if none came within the limit. */
    boolean awaitReached() throws InterruptedException {
        return reached.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void beforeCall(String operation, Location location) {
        if (!armed || !match.test(operation, location)) {
            return;
        }
        reached.countDown();
        try {
            // Bounded, so a test that forgets to release fails with its own timeout instead of hanging the build.
            if (!release.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("held " + operation + " " + location + " longer than " + limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held before " + operation, e);
        }
    }
}
