package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.commit.CommitSettings;

/**
 * The child JVM of the heap target: run with a small {@code -Xmx}, it writes N objects, then finalizes them
 * with PrefixCopyCommit and prints the peak heap of the finalize. Exit code 0 only when the finalize succeeded.
 * Arguments: store name, object count, object bytes.
 */
public final class HeapProbe {
    private HeapProbe() {
    }

    public static void main(String[] args) {
        Workload workload = new Workload(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        try (StoreTarget target = StoreTargets.open(args[0]); CheckpointWriter writer = new CheckpointWriter()) {
            RequestCounts ignored = new RequestCounts();
            int port = target.networked() ? target.emulatorPort() : 0;
            try (Connection connection = target.connect(port, ignored, false)) {
                Measurer measurer = new Measurer(target, connection, ignored, ignored, java.util.Optional.empty(),
                        Regime.LOOPBACK, writer);
                RunResult r = measurer.runOnce(StrategyContender.prefixCopy(CommitSettings.defaults()), workload);
                System.out.println("HEAP_PROBE peakHeapBytes=" + r.peakHeapBytes() + " wallMillis="
                        + r.wholeNanos() / 1_000_000 + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
            }
        }
        System.exit(0);
    }
}
