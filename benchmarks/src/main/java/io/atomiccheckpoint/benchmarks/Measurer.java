package io.atomiccheckpoint.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixDeletion;
import io.atomiccheckpoint.location.Location;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one contender on one target in one regime: sets up the objects with the uncounted setup store,
 * resets the counters, times the finalize until it returns and until its background work is done, samples
 * CPU, requests and heap over both, and cleans up afterwards.
 */
final class Measurer {
    private final StoreTarget target;
    private final Connection connection;
    private final RequestCounts storeCalls;
    private final RequestCounts wire;
    private final Optional<ProcessCpu> emulator;
    private final Optional<ProcessCpu> proxy;
    private final Regime regime;
    private final CheckpointWriter writer;
    private final HeapMeter heap = new HeapMeter();
    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    Measurer(StoreTarget target, Connection connection, RequestCounts storeCalls, RequestCounts wire,
            Optional<ProcessCpu> proxy, Regime regime, CheckpointWriter writer) {
        this.target = target;
        this.connection = connection;
        this.storeCalls = storeCalls;
        this.wire = wire;
        this.emulator = target.emulator();
        this.proxy = proxy;
        this.regime = regime;
        this.writer = writer;
    }

    Row measure(Contender contender, Workload workload, int runs) {
        List<RunResult> results = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            results.add(runOnce(contender, workload));
        }
        return new Row(regime, target.name(), workload, contender.name(), results);
    }

    RunResult runOnce(Contender contender, Workload workload) {
        Location scratch = target.newScratchLocation();
        try {
            Contender.Finalizer finalizer = contender.prepare(connection, scratch.resolve("checkpoint"));
            writer.write(target.store(), finalizer.source(), workload);
            storeCalls.reset();
            wire.reset();
            System.gc();
            heap.reset();
            long emulator0 = cpu(emulator);
            long proxy0 = cpu(proxy);
            long client0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            finalizer.finalizeNow(workload);
            long visible = System.nanoTime() - t0;
            finalizer.awaitBackground();
            long whole = System.nanoTime() - t0;
            long client = (os.getProcessCpuTime() - client0) / 1_000_000;
            return new RunResult(visible, whole, finalizer.phases().phases(t0, t0 + whole), storeCalls.snapshot(),
                    wire.snapshot(), delta(emulator, emulator0),
                    delta(proxy, proxy0), client, heap.peakBytes());
        } finally {
            PrefixDeletion.run(target.store(), scratch, CommitSettings.defaults());
        }
    }

    private static long cpu(Optional<ProcessCpu> process) {
        return process.map(ProcessCpu::cpuMillis).orElse(-1L);
    }

    private static long delta(Optional<ProcessCpu> process, long before) {
        return before < 0 ? -1 : cpu(process) - before;
    }
}
