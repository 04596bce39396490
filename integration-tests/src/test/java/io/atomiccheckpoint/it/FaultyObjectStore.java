package io.atomiccheckpoint.it;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.StoreException;
import java.util.Random;

/**
 * Fails a share of a store's operations before they reach it, for the one store without an HTTP layer to
 * inject faults into (local disk). Not a fake: every operation that is not failed runs on the real store.
 */
final class FaultyObjectStore extends ForwardingObjectStore {
    private final double rate;
    private final Random random;

    FaultyObjectStore(ObjectStore delegate, double rate, long seed) {
        super(delegate);
        this.rate = rate;
        this.random = new Random(seed);
    }

    @Override
    protected void beforeCall(String operation, Location location) {
        boolean fail;
        synchronized (random) {
            fail = random.nextDouble() < rate;
        }
        if (fail) {
            throw new StoreException(ErrorKind.TRANSIENT, operation, location, "injected fault (simulated 503)");
        }
    }
}
