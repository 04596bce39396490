package io.atomiccheckpoint.benchmarks;

import java.util.Map;

/**
 * What one measured finalize cost: wall time until it returned ({@code wallNanos}, for our commits the visible
 * latency) and until its background clean-up finished ({@code wholeNanos}; equal for the peers), requests by kind at the SPI and on the wire, CPU of the
 * emulator, the proxy and this JVM (milliseconds, -1 when not applicable), and peak heap.
 */
record RunResult(long wallNanos, long wholeNanos, Map<String, Long> phaseNanos, Map<String, Long> storeCalls, Map<String, Long> wire, long emulatorCpuMillis,
        long proxyCpuMillis, long clientCpuMillis, long peakHeapBytes) {
}
