package io.atomiccheckpoint.it;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per store, what the suite tried and what it saw, for the table printed when the run ends. The
 * two columns that matter most, objects lost and torn checkpoints seen, must stay at zero; the tests assert
 * that too, the table only makes the evidence visible. Every count is added where it is observed (a judged
 * state adds 0 or 1 to the torn column), and a cell no test filled prints as "not run", never as 0.
 */
final class EvidenceTable {
    /** The columns, in print order. */
    enum Column {
        KILL_POINTS("kill points"),
        RACE_ROUNDS("race rounds"),
        HOSTS("multi-host runs"),
        FAULT_RUNS_5("5% fault runs"),
        FAULT_COMMITTED_5("5% committed"),
        FAULT_RESUMED_5("5% failed, then resumed"),
        FAULT_RUNS_30("30% fault runs"),
        FAULT_COMMITTED_30("30% committed"),
        FAULT_RESUMED_30("30% failed, then resumed"),
        HOSTILE_INPUTS("hostile inputs"),
        INTERLEAVINGS("stale-writer interleavings"),
        STOP_ROUNDS("SIGSTOP rounds"),
        STOPPED_MID_REQUEST("stopped mid-request"),
        REQUEST_KILLS("kills mid-request"),
        OBJECTS_LOST("objects lost"),
        TORN_SEEN("torn checkpoints seen");

        final String title;

        Column(String title) {
            this.title = title;
        }
    }

    private static final Map<String, Map<Column, AtomicLong>> ROWS = new ConcurrentHashMap<>();

    private EvidenceTable() {
    }

    static void add(String store, Column column, long amount) {
        ROWS.computeIfAbsent(store, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(column, c -> new AtomicLong()).addAndGet(amount);
    }

    static boolean isEmpty() {
        return ROWS.isEmpty();
    }

    /** The table as Markdown. */
    static String render() {
        StringBuilder out = new StringBuilder("| store |");
        for (Column c : Column.values()) {
            out.append(' ').append(c.title).append(" |");
        }
        out.append("\n|---|");
        for (int i = 0; i < Column.values().length; i++) {
            out.append("---:|");
        }
        for (Map.Entry<String, Map<Column, AtomicLong>> row : new TreeMap<>(ROWS).entrySet()) {
            out.append("\n| ").append(row.getKey()).append(" |");
            for (Column c : Column.values()) {
                AtomicLong v = row.getValue().get(c);
                // A cell no test filled was not measured: it says so instead of showing a 0.
                out.append(' ').append(v == null ? "not run" : Long.toString(v.get())).append(" |");
            }
        }
        return out.toString();
    }
}
