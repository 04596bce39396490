package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.SupportsConditionalDelete;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ObjectVersion;
import java.util.List;

/**
 * The cloud-like regime for a store without a network (the local filesystem): each store call waits the
 * regime's latency first, as each request to a cloud waits a round trip, so that the commit's round trips show at
 * N = 10 000, where the emulators cannot go. A batch delete or a listing page is one call, as it is one request on
 * every cloud. The wait is a stand-in for the network, not synchronisation: nothing waits for anything else.
 */
final class LatencyObjectStore extends ForwardingObjectStore {
    private final long latencyMillis;

    LatencyObjectStore(ObjectStore delegate, long latencyMillis) {
        super(delegate);
        this.latencyMillis = latencyMillis;
    }

    @Override
    protected void beforeCall(String operation, Location location) {
        if (!operation.equals("copy-source")) {
            roundTrip(latencyMillis);
        }
    }

    /** One round trip per batch, not per object (the base class's hook runs once per object). */
    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        roundTrip(latencyMillis);
        return delegate().delete(locations);
    }

    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        roundTrip(latencyMillis);
        return ((SupportsConditionalDelete) delegate()).deleteIfUnchanged(objects);
    }

    static void roundTrip(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the simulated round trip", e);
        }
    }
}
