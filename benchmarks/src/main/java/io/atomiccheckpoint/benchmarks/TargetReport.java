package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.commit.CommitInPlace;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the targets against the measured rows and says, for each, met or missed and by how much.
 * Nothing here is typed in: every verdict is computed from this run's numbers.
 */
final class TargetReport {
    /** Requests a finalize may add to the formula: the committed-marker check and the second listing. */
    private static final int CONSTANT_SLACK = 4;

    private final List<Row> rows;
    private final Ratios ratios;
    private final Map<String, Integer> deleteBatch;
    private final int listPageSize;

    TargetReport(List<Row> rows, Map<String, Integer> deleteBatch, int listPageSize) {
        this.rows = rows;
        this.ratios = new Ratios(rows);
        this.deleteBatch = deleteBatch;
        this.listPageSize = listPageSize;
    }

    String markdown(List<HeapProbeResult> heap, List<String> notRun) {
        List<String> out = new ArrayList<>();
        out.add("## Targets\n");
        out.add("### Requests per PrefixCopyCommit finalize (issue: N copies + ceil(N/batch) deletes + list pages + 1"
                + " marker; met when within " + CONSTANT_SLACK + " of that)\n");
        for (Row r : of(PrefixCopyCommit.NAME, Regime.LOOPBACK)) {
            out.add("- " + requestVerdict(r));
        }
        out.add("\n### Cloud-like regime: at least 5x faster than Hadoop rename; within 1.25x of the raw parallel-copy floor\n");
        ratioVerdicts(Regime.CLOUD_LIKE, 1.25, 5.0, out);
        out.add("\n### Loopback regime: never slower than Hadoop rename; within 1.1x of the raw parallel-copy floor\n");
        ratioVerdicts(Regime.LOOPBACK, 1.1, 1.0, out);
        out.add("\n### Peak heap independent of N (N = 10 000 finalizes with -Xmx64m)\n");
        for (HeapProbeResult h : heap) {
            out.add(String.format(Locale.ROOT, "- %s, %d objects, -Xmx%s: %s%s", h.store(), h.objects(), h.xmx(),
                    h.succeeded() ? "met, finalized" : "MISSED: " + h.detail(), h.succeeded() ? String.format(
                            Locale.ROOT, " in %d ms, peak heap %.1f MiB", h.wallMillis(), h.peakHeapBytes() / 1048576.0)
                            : ""));
        }
        out.add("\n### CommitInPlace: a constant number of requests, independent of N\n");
        for (Row r : of(CommitInPlace.NAME, Regime.LOOPBACK)) {
            RunResult m = r.medianRun();
            out.add("- " + r.store() + ", " + r.workload().label() + ": " + RequestCounts.total(requests(r, m))
                    + " requests (" + RequestCounts.describe(requests(r, m)) + ")");
        }
        out.add("\n(Constant except the inventory listing, which needs ceil(N/" + listPageSize
                + ") pages to write the manifest; compare the totals above across N.)\n");
        if (!notRun.isEmpty()) {
            out.add("\n### Not run\n");
            notRun.forEach(n -> out.add("- " + n));
        }
        return String.join("\n", out) + "\n";
    }

    private List<Row> of(String contender, Regime regime) {
        return rows.stream().filter(r -> r.contender().equals(contender) && r.regime() == regime).toList();
    }

    /** Wire requests on a networked store; store calls on the filesystem, which has no wire. */
    private static Map<String, Long> requests(Row r, RunResult m) {
        return m.wire().isEmpty() ? m.storeCalls() : m.wire();
    }

    private String requestVerdict(Row r) {
        int n = r.workload().count();
        int batch = deleteBatch.getOrDefault(r.store(), 1000);
        long expected = n + ceil(n, batch) + ceil(n, listPageSize) + 1;
        Map<String, Long> counted = requests(r, r.medianRun());
        long measured = RequestCounts.total(counted);
        String verdict = measured <= expected + CONSTANT_SLACK ? "met" : String.format(Locale.ROOT,
                "MISSED by %d requests (%.2fx)", measured - expected, (double) measured / expected);
        return String.format(Locale.ROOT, "%s, %s: %s; expected %d, measured %d (%s)", r.store(), r.workload().label(),
                verdict, expected, measured, RequestCounts.describe(counted));
    }

    /** Ours against the floor (at most {@code limit} times it) and against Hadoop (at least {@code speedup} times faster). */
    private void ratioVerdicts(Regime regime, double limit, double speedup, List<String> out) {
        for (Row ours : of(PrefixCopyCommit.NAME, regime)) {
            String line = ours.store() + ", " + ours.workload().label() + ": ";
            line += ratios.find(regime, ours.store(), ours.workload(), Contenders.PARALLEL_FLOOR)
                    .map(floor -> {
                        double x = ours.medianMillis() / floor.medianMillis();
                        return String.format(Locale.ROOT, "%.2fx the floor (%s vs %s ms): %s", x,
                                ResultTables.fmt(ours.medianMillis()), ResultTables.fmt(floor.medianMillis()),
                                x <= limit ? "met" : String.format(Locale.ROOT, "MISSED by %.0f%%",
                                        (x / limit - 1) * 100));
                    }).orElse("no floor row");
            Optional<Row> floorRow = ratios.find(regime, ours.store(), ours.workload(), Contenders.PARALLEL_FLOOR);
            Map<String, Long> phases = ours.medianRun().phaseNanos();
            if (floorRow.isPresent() && phases.containsKey("marker")) {
                // Readers see the checkpoint once the marker is written; only the clean-up of the temporary
                // prefix (work the copy-only floor does not do) comes after.
                double visible = (phases.get("check") + phases.get("copy") + phases.get("marker")) / 1e6;
                double x = visible / floorRow.get().medianMillis();
                line += String.format(Locale.ROOT, "; until the marker is written (check, listing, copies, marker) %.2fx"
                        + " the floor: %s", x, x <= limit ? "met" : String.format(Locale.ROOT, "MISSED by %.0f%%",
                        (x / limit - 1) * 100));
            }
            Optional<Row> hadoopRow = ratios.find(regime, ours.store(), ours.workload(), HadoopRenameContender.NAME);
            line += hadoopRow.map(hadoop -> {
                double x = hadoop.medianMillis() / ours.medianMillis();
                String verdict = String.format(Locale.ROOT, "; Hadoop rename took %.2fx as long (%s ms): %s", x,
                        ResultTables.fmt(hadoop.medianMillis()), x >= speedup ? "met" : String.format(Locale.ROOT,
                                "MISSED (needs %.2fx)", speedup));
                if (x < speedup && floorRow.isPresent()) {
                    // What any commit that copies could reach on this store and emulator.
                    verdict += String.format(Locale.ROOT, " (the raw floor itself is %.2fx faster than Hadoop rename"
                            + " here)", hadoop.medianMillis() / floorRow.get().medianMillis());
                }
                return verdict;
            }).orElse("; vs Hadoop rename: not measured (see Not run)");
            out.add("- " + line);
        }
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }
}
