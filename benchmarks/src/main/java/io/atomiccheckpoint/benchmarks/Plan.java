package io.atomiccheckpoint.benchmarks;

import java.util.List;

/**
 * What a run measures: the workloads per regime, how many measured runs each gets, and which peers are left
 * out where they would take minutes. {@link #quick()} is for development; {@link #full()} makes the README's
 * tables.
 */
record Plan(List<Workload> loopback, List<Workload> cloudLike, int runs, int largeRuns, int sequentialMaxLoopback,
        int sequentialMaxCloud, int hadoopMax, int heapProbeObjects) {
    private static final int LARGE_BYTES = 1024 * 1024;

    static Plan full() {
        return new Plan(
                List.of(new Workload(10, 64 * Workload.KIB), new Workload(100, 64 * Workload.KIB),
                        new Workload(1000, 64 * Workload.KIB), new Workload(10_000, 64 * Workload.KIB),
                        new Workload(8, 64 * Workload.MIB)),
                List.of(new Workload(100, 4 * Workload.KIB), new Workload(1000, 4 * Workload.KIB),
                        new Workload(10_000, 4 * Workload.KIB)),
                5, 2, 1000, 100, 1000, 10_000);
    }

    static Plan quick() {
        return new Plan(
                List.of(new Workload(10, 64 * Workload.KIB), new Workload(100, 64 * Workload.KIB),
                        new Workload(2, 8 * Workload.MIB)),
                List.of(new Workload(100, 4 * Workload.KIB)),
                2, 2, 100, 100, 100, 2000);
    }

    List<Workload> workloads(Regime regime) {
        return regime == Regime.LOOPBACK ? loopback : cloudLike;
    }

    /** Measured runs: fewer for the large shapes, whose setup alone takes tens of seconds on an emulator. */
    int runsFor(Workload w) {
        return w.count() >= 1000 || w.objectBytes() > LARGE_BYTES ? largeRuns : runs;
    }

    /**
     * The sequential loop and Hadoop rename (a copy, a status poll and a delete per object) are skipped above
     * a count per regime: beyond it one run takes minutes.
     */
    boolean skips(String contender, Regime regime, Workload w) {
        if (contender.equals(HadoopRenameContender.NAME)) {
            return w.count() > hadoopMax;
        }
        return contender.equals(Contenders.SEQUENTIAL)
                && w.count() > (regime == Regime.LOOPBACK ? sequentialMaxLoopback : sequentialMaxCloud);
    }

    /** What {@link #skips} leaves out, for the report. */
    String skipRule() {
        return "the sequential copy loop runs up to N = " + sequentialMaxLoopback + " on loopback and N = "
                + sequentialMaxCloud + " in the cloud-like regime, Hadoop rename up to N = " + hadoopMax
                + " (beyond that one run takes minutes)";
    }
}
