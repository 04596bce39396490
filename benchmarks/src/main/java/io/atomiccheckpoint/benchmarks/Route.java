package io.atomiccheckpoint.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one target is reached in one regime: the port our store and the raw loops use (the emulator's own, or
 * a latency proxy's), and whether the Hadoop connector could be given the port it insists on. Closing it
 * removes the proxies it made.
 */
final class Route implements AutoCloseable {
    private final Toxiproxy proxy;
    private final List<String> proxies = new ArrayList<>();
    private final int port;
    private final Optional<String> hadoopMissing;
    private final int simulatedLatencyMillis;

    Route(StoreTarget target, Regime regime, Toxiproxy proxy, int latencyMillis) {
        this.proxy = proxy;
        int latency = regime == Regime.CLOUD_LIKE ? latencyMillis : 0;
        simulatedLatencyMillis = target.networked() ? 0 : latency;
        if (!target.networked()) {
            port = 0;
        } else if (regime == Regime.LOOPBACK) {
            port = target.emulatorPort();
        } else {
            port = add(target.name() + "-" + regime.label(), 0, target.emulatorPort(), latency);
        }
        Optional<String> missing = target.hadoopMissing();
        if (missing.isEmpty() && target.hadoopFixedPort().isPresent()) {
            int fixed = target.hadoopFixedPort().getAsInt();
            try {
                add(target.name() + "-hadoop-" + regime.label(), fixed, target.emulatorPort(), latency);
            } catch (IllegalStateException e) {
                missing = Optional.of("its connector only reaches the emulator on 127.0.0.1:" + fixed
                        + ", where no proxy could listen: " + e.getMessage());
            }
        }
        hadoopMissing = missing;
    }

    private int add(String name, int listen, int upstream, int latency) {
        int p = proxy.proxy(name, listen, upstream, latency);
        proxies.add(name);
        return p;
    }

    int port() {
        return port;
    }

    /** The latency the store calls themselves wait, for a target without a network in the cloud-like regime. */
    int simulatedLatencyMillis() {
        return simulatedLatencyMillis;
    }

    Optional<String> hadoopMissing() {
        return hadoopMissing;
    }

    @Override
    public void close() {
        proxies.forEach(proxy::remove);
    }
}
