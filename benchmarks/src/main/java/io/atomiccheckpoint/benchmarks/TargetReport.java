package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.commit.CommitInPlace;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Checks the targets against the measured rows and says, for each, met or missed and by how much.
 * Nothing here is typed in: every verdict is computed from this run's numbers.
 */
final class TargetReport {
    /** Requests a finalize may add to the formula: the committed-marker check and the second listing. */
    private static final int CONSTANT_SLACK = 4;
    /**
     * What the fenced commit adds to a commit()'s requests (RequestCountTest asserts it): the seal and the
     * manifest written into the lease; the marker becomes a copy of the lease instead of a put, same count.
     */
    private static final int FENCING = 2;

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
        out.add("### Requests per PrefixCopyCommit finalize, its background clean-up included (issue: N copies +"
                + " ceil(N/batch) deletes + list pages + 1 marker; met when within " + CONSTANT_SLACK + " of that, plus"
                + " the " + FENCING + " requests fencing adds: the seal and the manifest written into the lease)\n");
        for (Row r : of(PrefixCopyCommit.NAME, Regime.LOOPBACK)) {
            out.add("- " + requestVerdict(r));
        }
        out.add("\n### Cloud-like regime: commit() within 1.10x of the raw parallel-copy floor at N = 1 000 and 1.5x at"
                + " N = 100; at least 5x faster than S3A and WASB rename and 1.5x faster than the GCS connector's\n");
        ratioVerdicts(Regime.CLOUD_LIKE, TargetReport::cloudLikeFloorLimit, TargetReport::cloudLikeSpeedup, out);
        out.add("\n### Loopback regime (an earlier issue's targets): never slower than Hadoop rename; within 1.1x of the"
                + " raw parallel-copy floor\n");
        ratioVerdicts(Regime.LOOPBACK, w -> OptionalDouble.of(1.1), store -> 1.0, out);
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
        long allowed = expected + CONSTANT_SLACK + FENCING;
        String verdict = measured <= allowed ? "met" : String.format(Locale.ROOT,
                "MISSED by %d requests (%.2fx)", measured - allowed, (double) measured / allowed);
        return String.format(Locale.ROOT, "%s, %s: %s; expected %d, measured %d (%s)", r.store(), r.workload().label(),
                verdict, expected, measured, RequestCounts.describe(counted));
    }

    /** The floor targets in the cloud-like regime: 1.5x at N = 100, 1.10x at N = 1 000, none elsewhere. */
    private static OptionalDouble cloudLikeFloorLimit(Workload w) {
        return switch (w.count()) {
            case 100 -> OptionalDouble.of(1.5);
            case 1000 -> OptionalDouble.of(1.10);
            default -> OptionalDouble.empty();
        };
    }

    /** The issue asks 5x over S3A and WASB, 1.5x over the GCS connector (which batches its copies). */
    private static double cloudLikeSpeedup(String store) {
        return store.equals("gcs") ? 1.5 : 5.0;
    }

    /**
     * Ours against the floor (commit(), which returns once the marker is written, at most {@code limit} times the
     * floor) and against Hadoop rename (taking at least {@code speedup} times as long as our commit()). The whole
     * commit, with its background clean-up, is reported beside each but judged by no target.
     */
    private void ratioVerdicts(Regime regime, Function<Workload, OptionalDouble> limitFor,
            ToDoubleFunction<String> speedupFor, List<String> out) {
        for (Row ours : of(PrefixCopyCommit.NAME, regime)) {
            OptionalDouble limit = limitFor.apply(ours.workload());
            double speedup = speedupFor.applyAsDouble(ours.store());
            String line = ours.store() + ", " + ours.workload().label() + ": ";
            Optional<Row> floorRow = ratios.find(regime, ours.store(), ours.workload(), Contenders.PARALLEL_FLOOR);
            line += floorRow.map(floor -> {
                double x = ours.medianMillis() / floor.medianMillis();
                return String.format(Locale.ROOT, "commit() %.2fx the floor (%s vs %s ms): %s; with its clean-up"
                        + " %.2fx (%s ms)", x, ResultTables.fmt(ours.medianMillis()),
                        ResultTables.fmt(floor.medianMillis()), verdict(x, limit),
                        ours.medianWholeMillis() / floor.medianMillis(), ResultTables.fmt(ours.medianWholeMillis()));
            }).orElse("no floor row");
            Optional<Row> batched = ratios.find(regime, ours.store(), ours.workload(), Contenders.BATCHED_FLOOR);
            if (batched.isPresent() && floorRow.isPresent()) {
                line += String.format(Locale.ROOT, "; the batched raw copy took %.2fx the single-request floor (%s ms)",
                        batched.get().medianMillis() / floorRow.get().medianMillis(),
                        ResultTables.fmt(batched.get().medianMillis()));
            }
            Optional<Row> hadoopRow = ratios.find(regime, ours.store(), ours.workload(), HadoopRenameContender.NAME);
            line += hadoopRow.map(hadoop -> {
                double x = hadoop.medianMillis() / ours.medianMillis();
                String verdict = String.format(Locale.ROOT, "; Hadoop rename took %.2fx as long as commit() (%s ms;"
                        + " %.2fx our whole commit): %s", x, ResultTables.fmt(hadoop.medianMillis()),
                        hadoop.medianMillis() / ours.medianWholeMillis(), x >= speedup ? "met" : String.format(
                                Locale.ROOT, "MISSED (needs %.2fx)", speedup));
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

    private static String verdict(double x, OptionalDouble limit) {
        if (limit.isEmpty()) {
            return "no target at this N";
        }
        return x <= limit.getAsDouble() ? String.format(Locale.ROOT, "met (target %.2fx)", limit.getAsDouble())
                : String.format(Locale.ROOT, "MISSED by %.0f%% (target %.2fx)", (x / limit.getAsDouble() - 1) * 100,
                        limit.getAsDouble());
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }
}
