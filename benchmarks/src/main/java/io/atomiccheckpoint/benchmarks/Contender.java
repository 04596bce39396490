package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;

/** One way to finalize a checkpoint: our strategies, or a peer they are compared with. */
interface Contender {
    String name();

    /**
     * Gets ready to finalize into {@code finalLocation} over {@code connection}; the harness then writes the
     * objects below {@link Finalizer#source()} and times {@link Finalizer#finalizeNow(Workload)}.
     */
    Finalizer prepare(Connection connection, Location finalLocation);

    /** A prepared, not yet finalized, checkpoint. */
    interface Finalizer {
        /** Where the writers put the objects. */
        Location source();

        /** The measured step: returns when the caller could go on (for our commits, once the marker is written). */
        void finalizeNow(Workload workload);

        /**
         * Waits for what {@link #finalizeNow} left running in the background (our commits' clean-up of the
         * temporary prefix), so that the next run starts on a quiet store and the whole cost is counted too.
         */
        default void awaitBackground() {
        }

        /** When the finalize reached each commit step; empty for the peers, which have no steps. */
        default PhaseClock phases() {
            return new PhaseClock();
        }
    }
}
