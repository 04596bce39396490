package io.atomiccheckpoint.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes one regime's rows as {@code <regime>.md} and {@code <regime>.csv}. */
final class ResultTables {
    private static final double MIB = 1024.0 * 1024.0;

    private ResultTables() {
    }

    static void write(Path dir, Regime regime, List<Row> rows, List<String> notes) {
        List<Row> mine = rows.stream().filter(r -> r.regime() == regime).toList();
        Ratios ratios = new Ratios(rows);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(regime.label() + ".md"), markdown(regime, mine, ratios, notes),
                    StandardCharsets.UTF_8);
            Files.write(dir.resolve(regime.label() + ".csv"), csv(mine, ratios), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + regime.label() + " tables to " + dir, e);
        }
    }

    static String markdown(Regime regime, List<Row> rows, Ratios ratios, List<String> notes) {
        StringBuilder b = new StringBuilder();
        b.append("## Finalize cost, ").append(regime.label()).append(" regime\n\n");
        for (String note : notes) {
            b.append("- ").append(note).append('\n');
        }
        b.append("\n| store | workload | finalize | median ms | min–max ms | with clean-up ms | runs | PrefixCopy ÷ this | check / copy / marker / clean-up ms | HTTP requests"
                + " | store calls | emulator CPU ms (cores) | proxy CPU ms | client CPU ms | peak heap MiB |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            RunResult m = r.medianRun();
            long emulatorCpu = r.median(RunResult::emulatorCpuMillis);
            b.append("| ").append(r.store()).append(" | ").append(r.workload().label()).append(" | ")
                    .append(r.contender()).append(" | ").append(fmt(r.medianMillis())).append(" | ")
                    .append(fmt(r.minMillis())).append("–").append(fmt(r.maxMillis())).append(" | ")
                    .append(fmt(r.medianWholeMillis())).append(" | ")
                    .append(r.runs().size()).append(" | ")
                    .append(ratios.oursOver(r).map(x -> String.format(Locale.ROOT, "%.2f", x)).orElse("-"))
                    .append(" | ").append(phases(m)).append(" | ").append(requests(m.wire())).append(" | ").append(requests(m.storeCalls()))
                    .append(" | ").append(emulatorCpu < 0 ? "-" : emulatorCpu + String.format(Locale.ROOT, " (%.2f)",
                            emulatorCpu / r.medianWholeMillis()))
                    .append(" | ").append(orDash(r.median(RunResult::proxyCpuMillis)))
                    .append(" | ").append(r.median(RunResult::clientCpuMillis))
                    .append(" | ").append(String.format(Locale.ROOT, "%.0f", r.maxPeakHeapBytes() / MIB)).append(" |\n");
        }
        return b.toString();
    }

    private static List<String> csv(List<Row> rows, Ratios ratios) {
        List<String> lines = new ArrayList<>();
        lines.add("regime,store,workload,objects,object_bytes,finalize,runs,median_ms,min_ms,max_ms,median_with_cleanup_ms,"
                + "prefixcopy_over_this,phases_ms,http_requests,http_by_kind,store_calls,store_calls_by_kind,emulator_cpu_ms,"
                + "proxy_cpu_ms,client_cpu_ms,peak_heap_bytes");
        for (Row r : rows) {
            RunResult m = r.medianRun();
            lines.add(String.join(",", r.regime().label(), r.store(), r.workload().label(),
                    Integer.toString(r.workload().count()), Integer.toString(r.workload().objectBytes()),
                    r.contender(), Integer.toString(r.runs().size()), fmt(r.medianMillis()), fmt(r.minMillis()),
                    fmt(r.maxMillis()), fmt(r.medianWholeMillis()), ratios.oursOver(r).map(x -> String.format(Locale.ROOT, "%.3f", x)).orElse(""),
                    phases(m).replace(" / ", " "), Long.toString(RequestCounts.total(m.wire())), RequestCounts.describe(m.wire()),
                    Long.toString(RequestCounts.total(m.storeCalls())), RequestCounts.describe(m.storeCalls()),
                    Long.toString(r.median(RunResult::emulatorCpuMillis)),
                    Long.toString(r.median(RunResult::proxyCpuMillis)),
                    Long.toString(r.median(RunResult::clientCpuMillis)), Long.toString(r.maxPeakHeapBytes())));
        }
        return lines;
    }

    private static String requests(java.util.Map<String, Long> counts) {
        return counts.isEmpty() ? "-" : RequestCounts.total(counts) + ": " + RequestCounts.describe(counts);
    }

    /** The median run's commit phases, or {@code -} for the peers. */
    static String phases(RunResult m) {
        if (m.phaseNanos().isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        m.phaseNanos().values().forEach(n -> parts.add(fmt(n / 1e6)));
        return String.join(" / ", parts);
    }

    private static String orDash(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    static String fmt(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.0f", millis);
    }
}
