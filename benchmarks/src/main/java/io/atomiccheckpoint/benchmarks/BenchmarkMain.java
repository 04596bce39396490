package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.commit.CommitSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entry point of {@code benchmarks/run.sh}: for each regime and store, a warm-up run of every contender,
 * then the measured runs of every workload; then the heap probe in a child JVM; then the tables and the
 * target verdicts in {@code benchmarks/results/}.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Plan plan = options.quick() ? Plan.quick() : Plan.full();
        CommitSettings settings = CommitSettings.defaults();
        List<Contender> contenders = Contenders.all(settings);
        List<Row> rows = new ArrayList<>();
        List<String> notRun = new ArrayList<>(HadoopPeers.reasons());
        notRun.add(plan.skipRule());
        Map<String, Integer> deleteBatch = new LinkedHashMap<>();
        Map<String, Integer> maxObjects = new LinkedHashMap<>();
        Toxiproxy proxy = Toxiproxy.start(options.toxiproxy());
        try (CheckpointWriter writer = new CheckpointWriter()) {
            for (String storeName : options.stores()) {
                StoreTarget target;
                try {
                    target = StoreTargets.open(storeName);
                } catch (RuntimeException e) {
                    notRun.add(storeName + ": every row, the store could not be opened: " + e);
                    continue;
                }
                try (target) {
                    deleteBatch.put(storeName, settings.deleteBatchSize(target.store()));
                    maxObjects.put(storeName, target.maxObjects());
                    for (Regime regime : options.regimes()) {
                        try (Route route = new Route(target, regime, proxy, options.latencyMillis())) {
                            route.hadoopMissing().ifPresent(why -> notRun.add(regime.label() + ", " + storeName
                                    + ", " + HadoopRenameContender.NAME + ": " + why));
                            measure(target, route, Optional.of(new ProcessCpu(proxy.pid())), regime, plan,
                                    contenders, writer, rows, notRun);
                        }
                        // Tables so far, so that an interrupted run still leaves what it measured.
                        write(options, rows, notRun, deleteBatch, settings, List.of());
                    }
                }
            }
        } finally {
            proxy.close();
        }
        List<HeapProbeResult> heap = new ArrayList<>();
        for (String storeName : options.stores()) {
            // Where the emulator cannot hold N objects in reasonable time, the probe runs at its limit instead.
            Workload heapWorkload = new Workload(Math.min(plan.heapProbeObjects(),
                    maxObjects.getOrDefault(storeName, Integer.MAX_VALUE)), 64 * Workload.KIB);
            log("heap probe: " + storeName + " " + heapWorkload.label() + " with -Xmx64m");
            heap.add(HeapProbeRunner.run(storeName, heapWorkload, "64m"));
        }
        write(options, rows, notRun, deleteBatch, settings, heap);
        System.exit(0);
    }

    private static void measure(StoreTarget target, Route route, Optional<ProcessCpu> proxyCpu, Regime regime,
            Plan plan, List<Contender> all, CheckpointWriter writer, List<Row> rows, List<String> notRun) {
        RequestCounts storeCalls = new RequestCounts();
        RequestCounts wire = new RequestCounts();
        Connection raw = route.simulatedLatencyMillis() > 0
                ? target.connectWithLatency(wire, route.simulatedLatencyMillis())
                : target.connect(route.port(), wire, route.hadoopMissing().isEmpty());
        Connection counted = new Connection(Store.of(new CountingObjectStore(raw.store().spi(), storeCalls)), raw.raw(), raw.hadoop(),
                raw.batch());
        List<Contender> contenders = all.stream()
                .filter(c -> !c.name().equals(HadoopRenameContender.NAME) || raw.hadoop().isPresent())
                .filter(c -> !c.name().equals(Contenders.BATCHED_FLOOR) || raw.batch().isPresent()).toList();
        try (raw) {
            Measurer measurer = new Measurer(target, counted, storeCalls, wire, proxyCpu, regime, writer);
            Workload warmUp = plan.workloads(regime).get(0);
            for (Contender c : contenders) {
                log(regime.label() + " " + target.name() + ": warm-up " + c.name() + " " + warmUp.label());
                measurer.runOnce(c, warmUp);
            }
            for (Workload w : plan.workloads(regime)) {
                if (w.count() > target.maxObjects()) {
                    notRun.add(regime.label() + ", " + target.name() + ", " + w.label() + ": not run; "
                            + target.limitReason().orElse(""));
                    continue;
                }
                for (Contender c : contenders) {
                    if (plan.skips(c.name(), regime, w)) {
                        continue;
                    }
                    Row row = measurer.measure(c, w, plan.runsFor(w));
                    log(String.format("%s %s %s %s: median %s ms, requests %s", regime.label(), target.name(),
                            w.label(), c.name(), ResultTables.fmt(row.medianMillis()),
                            RequestCounts.describe(row.medianRun().wire().isEmpty() ? row.medianRun().storeCalls()
                                    : row.medianRun().wire())));
                    rows.add(row);
                }
            }
        }
    }

    private static void write(Options options, List<Row> rows, List<String> notRun, Map<String, Integer> deleteBatch,
            CommitSettings settings, List<HeapProbeResult> heap) {
        String machine = Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", "
                + Instant.now();
        for (Regime regime : options.regimes()) {
            ResultTables.write(options.out(), regime, rows, RegimeNotes.of(regime, options, machine, settings));
        }
        String targets = new TargetReport(rows, deleteBatch, settings.listPageSize()).markdown(heap, notRun);
        try {
            Files.writeString(options.out().resolve("targets.md"), targets, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!heap.isEmpty()) {
            System.out.println(targets);
        }
    }

    static void log(String line) {
        System.out.println("[bench " + Instant.now() + "] " + line);
    }
}
