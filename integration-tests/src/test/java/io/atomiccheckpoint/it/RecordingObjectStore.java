package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every location the protocol addresses, to prove it stays inside the checkpoint's own prefixes. */
final class RecordingObjectStore extends ForwardingObjectStore {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Location> locations = new CopyOnWriteArrayList<>();

    RecordingObjectStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    protected void beforeCall(String operation, Location location) {
        calls.add(operation + " " + location);
        locations.add(location);
    }

    /** The calls whose location is not {@code allowed} itself nor below it. */
    List<String> outside(List<Location> allowed) {
        List<String> found = new CopyOnWriteArrayList<>();
        for (int i = 0; i < locations.size(); i++) {
            Location l = locations.get(i);
            if (allowed.stream().noneMatch(a -> a.equals(l) || a.contains(l))) {
                found.add(calls.get(i));
            }
        }
        return found;
    }
}
