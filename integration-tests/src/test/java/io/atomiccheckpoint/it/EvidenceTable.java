package io.atomiccheckpoint.it;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per store row, what the suite did and what it observed, for the table printed when the run ends. Every
 * count is added where it is observed: a state judged by the {@link IndependentChecker} adds one to "states
 * judged", 0 or 1 to "torn states" and its lost objects to "objects lost", so a 0 there is a measurement; a cell
 * no test filled prints "not run", never 0. Each row also names the create-only mechanism its store used, as the
 * store reports it ({@link StoreFixture#createOnlyMechanism()}).
 */
final class EvidenceTable {
    /** The counted columns, in print order. */
    enum Column {
        KILL_POINTS("kills made"),
        RACE_ROUNDS("race rounds"),
        HOSTS("multi-host runs"),
        FAULT_RUNS_5("5% fault runs"),
        FAULT_COMMITTED_5("5% committed"),
        FAULT_RESUMED_5("5% failed, then resumed"),
        FAULT_RUNS_30("30% fault runs"),
        FAULT_COMMITTED_30("30% committed"),
        FAULT_RESUMED_30("30% failed, then resumed"),
        HOSTILE_INPUTS("hostile inputs sent to the store"),
        PARSE_CHECKS("location parse checks"),
        INTERLEAVINGS("stale-writer interleavings"),
        STOP_ROUNDS("SIGSTOP rounds"),
        STOPPED_MID_REQUEST("stopped mid-request"),
        REQUEST_KILLS("kills mid-request"),
        COMMITS("commits that succeeded"),
        STATES_JUDGED("states judged by the checker"),
        TORN_SEEN("torn states"),
        OBJECTS_LOST("objects lost");

        final String title;

        Column(String title) {
            this.title = title;
        }
    }

    private static final Map<String, Map<Column, AtomicLong>> ROWS = new ConcurrentHashMap<>();
    private static final Map<String, Set<String>> MECHANISMS = new ConcurrentHashMap<>();

    private EvidenceTable() {
    }

    static void add(String row, Column column, long amount) {
        ROWS.computeIfAbsent(row, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(column, c -> new AtomicLong()).addAndGet(amount);
    }

    /** Adds to {@code fixture}'s row and records the create-only mechanism its store reports. */
    static void add(StoreFixture fixture, Column column, long amount) {
        MECHANISMS.computeIfAbsent(fixture.name(), n -> new ConcurrentSkipListSet<>()).add(fixture.createOnlyMechanism());
        add(fixture.name(), column, amount);
    }

    static boolean isEmpty() {
        return ROWS.isEmpty();
    }

    /** The table as Markdown. */
    static String render() {
        StringBuilder out = new StringBuilder("| store | create-only mechanism exercised |");
        for (Column c : Column.values()) {
            out.append(' ').append(c.title).append(" |");
        }
        out.append("\n|---|---|");
        for (int i = 0; i < Column.values().length; i++) {
            out.append("---:|");
        }
        for (Map.Entry<String, Map<Column, AtomicLong>> row : new TreeMap<>(ROWS).entrySet()) {
            Set<String> mechanisms = MECHANISMS.get(row.getKey());
            out.append("\n| ").append(row.getKey()).append(" | ")
                    .append(mechanisms == null ? "not reported" : String.join("; ", mechanisms)).append(" |");
            for (Column c : Column.values()) {
                AtomicLong v = row.getValue().get(c);
                // A cell no test filled was not measured: it says so instead of showing a 0.
                out.append(' ').append(v == null ? "not run" : Long.toString(v.get())).append(" |");
            }
        }
        return out.toString();
    }
}
