package io.atomiccheckpoint.benchmarks;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** The measured runs of one contender on one store, workload and regime, summarised by their median. */
record Row(Regime regime, String store, Workload workload, String contender, List<RunResult> runs) {
    double medianMillis() {
        return median(RunResult::wallNanos) / 1e6;
    }

    /** Median time until the finalize's background work (our clean-up) finished too. */
    double medianWholeMillis() {
        return median(RunResult::wholeNanos) / 1e6;
    }

    double minMillis() {
        return runs.stream().mapToLong(RunResult::wallNanos).min().orElse(0) / 1e6;
    }

    double maxMillis() {
        return runs.stream().mapToLong(RunResult::wallNanos).max().orElse(0) / 1e6;
    }

    /** The run with the median wall time, whose counts and CPU times the tables show. */
    RunResult medianRun() {
        List<RunResult> sorted = runs.stream().sorted(Comparator.comparingLong(RunResult::wallNanos)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    long median(ToLongFunction<RunResult> f) {
        long[] v = runs.stream().mapToLong(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    long maxPeakHeapBytes() {
        return runs.stream().mapToLong(RunResult::peakHeapBytes).max().orElse(0);
    }
}
