package io.atomiccheckpoint.benchmarks;

/** The outcome of one {@link HeapProbe} child JVM. */
record HeapProbeResult(String store, int objects, String xmx, boolean succeeded, long peakHeapBytes,
        long wallMillis, String detail) {
}
