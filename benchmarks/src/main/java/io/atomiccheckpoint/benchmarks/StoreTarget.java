package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.Optional;

/**
 * One store the benchmark runs on: the filesystem, or a cloud store on its emulator. It is testkit's
 * {@link StoreUnderTest} ({@code store()} sets up and cleans up runs and is never measured,
 * {@code newScratchLocation()} gives each run a fresh prefix) plus what only the benchmark needs: the
 * emulator's port and process, and measured connections through a proxy.
 */
interface StoreTarget extends StoreUnderTest, AutoCloseable {

    /** False for the filesystem, which has no network to put latency on. */
    default boolean networked() {
        return true;
    }


    /** The emulator's port, which the cloud-like regime puts the proxy in front of. */
    int emulatorPort();

    /** The emulator's process (the one listening on its port), for its CPU time; empty for the filesystem. */
    default Optional<ProcessCpu> emulator() {
        return ListeningProcess.byPort(emulatorPort()).stream().mapToObj(ProcessCpu::new).findFirst();
    }

    /**
     * A store and a raw SDK copier connected through {@code port} (the emulator's own, or a proxy's), whose
     * HTTP requests are counted into {@code wire}, and the Hadoop connector when {@code withHadoop}. The
     * caller closes it.
     */
    Connection connect(int port, RequestCounts wire, boolean withHadoop);

    /**
     * For a target without a network: a connection whose store calls and raw copies each wait
     * {@code latencyMillis} first ({@link LatencyObjectStore}), the cloud-like regime's stand-in.
     */
    default Connection connectWithLatency(RequestCounts wire, int latencyMillis) {
        throw new UnsupportedOperationException(name() + " is networked; the cloud-like regime uses a proxy");
    }

    /**
     * The loopback port this target's Hadoop connector insists on (the harness puts a proxy to the emulator
     * there), or empty when its connector takes the port from its configuration or there is none.
     */
    default java.util.OptionalInt hadoopFixedPort() {
        return java.util.OptionalInt.empty();
    }

    /** The most objects a workload may have on this target: above it the emulator takes many minutes per run. */
    default int maxObjects() {
        return Integer.MAX_VALUE;
    }

    /** Why {@link #maxObjects()} is what it is; empty when there is no limit. */
    default Optional<String> limitReason() {
        return Optional.empty();
    }

    /** Why this target has no Hadoop peer, or empty when it has one. */
    default Optional<String> hadoopMissing() {
        return Optional.empty();
    }

    @Override
    void close();
}
