package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;
import java.util.Objects;

/** One copy of a batch ({@link Store#copyBatch}): what {@link Store#copy(Location, Location, CopyOptions)} takes. */
public record CopyRequest(Location source, Location target, CopyOptions options) {
    public CopyRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
    }
}
