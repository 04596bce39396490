package io.atomiccheckpoint.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests counted by kind (for example {@code copy}, {@code list}, {@code batch-delete}) during one measured run. */
final class RequestCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String kind) {
        add(kind, 1);
    }

    void add(String kind, long n) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).add(n);
    }

    void reset() {
        counts.clear();
    }

    /** The counts so far, sorted by kind. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (v.sum() > 0) {
                out.put(k, v.sum());
            }
        });
        return out;
    }

    static long total(Map<String, Long> snapshot) {
        return snapshot.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code copy=1000 list=1 ...}, or {@code -} when nothing was counted. */
    static String describe(Map<String, Long> snapshot) {
        if (snapshot.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        snapshot.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }
}
