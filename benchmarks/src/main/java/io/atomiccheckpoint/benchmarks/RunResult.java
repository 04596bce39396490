package io.atomiccheckpoint.benchmarks;

import java.util.Map;

/**
 * What one measured finalize cost: wall time, requests by kind at the SPI and on the wire, CPU of the
 * emulator, the proxy and this JVM (milliseconds, -1 when not applicable), and peak heap.
 */
record RunResult(long wallNanos, Map<String, Long> phaseNanos, Map<String, Long> storeCalls, Map<String, Long> wire, long emulatorCpuMillis,
        long proxyCpuMillis, long clientCpuMillis, long peakHeapBytes) {
}
