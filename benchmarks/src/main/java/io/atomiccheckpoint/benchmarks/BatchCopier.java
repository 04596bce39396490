package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import java.util.List;

/**
 * Create-only server-side copies of up to {@link #MAX_BATCH} objects sent as one request (a GCS JSON batch of
 * rewrites, each with its own does-not-exist precondition): the batched counterpart of {@link RawCopier}, to
 * measure whether batching beats single requests sent in parallel. Fails if any copy in the batch failed.
 */
@FunctionalInterface
interface BatchCopier {
    /** The most sub-requests the GCS JSON API accepts in one batch. */
    int MAX_BATCH = 100;

    void copyAll(List<Location> sources, List<Location> targets);
}
