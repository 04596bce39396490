package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;

/**
 * One create-only server-side copy made straight with the SDK (or the JDK on a local disk), one request, as a
 * hand-written copy loop would: the floor our copy phase is measured against.
 */
@FunctionalInterface
interface RawCopier {
    void copy(Location source, Location target);
}
