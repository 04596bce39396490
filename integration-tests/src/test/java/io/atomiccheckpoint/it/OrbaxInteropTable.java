package io.atomiccheckpoint.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What Orbax said about our checkpoints and what we said about Orbax's, collected by {@code OrbaxInteropTest} and
 * printed with the evidence table when the run ends: the README's interop table is this output.
 */
final class OrbaxInteropTable {
    /** One probe of Orbax's two reader modes while a Java commit was stopped at {@code phase}. */
    record Probe(int order, String phase, boolean beforeMarker, boolean autoFinalized, List<Long> autoSteps,
            boolean commitFileFinalized, List<Long> commitFileSteps) {
    }

    /** One "Orbax writes, Java reads" round in an Orbax mode on a kind of path ({@code "file://"}, {@code "gs://"}). */
    record OrbaxWrote(String scheme, String mode, List<Long> saved, List<Long> javaListed, long javaLatest,
            int javaValidated, List<Long> javaDeleted, List<Long> orbaxRestored, List<Long> orbaxStepsAfter) {
    }

    // Keyed "<path> | <strategy or mode>": the tables' first two columns, in the order they print.
    private static final Map<String, List<Probe>> PROBES = new ConcurrentHashMap<>();
    private static final Map<String, OrbaxWrote> ORBAX_WROTE = new ConcurrentHashMap<>();
    private static final Map<String, String> AUTO_READER = new ConcurrentHashMap<>();

    private OrbaxInteropTable() {
    }

    /** {@code scheme} is the kind of path the commit and Orbax ran on: {@code "file://"} or {@code "gs://"}. */
    static void probe(String scheme, String strategy, Probe probe) {
        PROBES.computeIfAbsent(scheme + " | " + strategy, s -> Collections.synchronizedList(new ArrayList<>()))
                .add(probe);
    }

    static void orbaxWrote(OrbaxWrote row) {
        ORBAX_WROTE.put(row.scheme() + " | " + row.mode(), row);
    }

    /** The reader class Orbax's AUTO mode picks for a scheme ({@code "file"}, {@code "gs"}), asked of Orbax. */
    static void autoReaderClass(String scheme, String className) {
        AUTO_READER.put(scheme, className);
    }

    static boolean isEmpty() {
        return PROBES.isEmpty() && ORBAX_WROTE.isEmpty();
    }

    /**
     * "safe" when the reader never took the checkpoint for finished before the marker was written and did
     * afterwards; otherwise where it went wrong.
     */
    static String verdict(List<Probe> probes, boolean autoMode) {
        for (Probe p : probes) {
            boolean seen = autoMode ? p.autoFinalized() || !p.autoSteps().isEmpty()
                    : p.commitFileFinalized() || !p.commitFileSteps().isEmpty();
            if (p.beforeMarker() && seen) {
                return "UNSAFE: finished at \"" + p.phase() + "\"";
            }
        }
        Probe last = probes.get(probes.size() - 1);
        boolean finished = autoMode ? last.autoFinalized() : last.commitFileFinalized();
        return finished ? "safe" : "never finished";
    }

    static String render() {
        StringBuilder out = new StringBuilder();
        if (!PROBES.isEmpty()) {
            out.append("Java writes, Orbax ").append(OrbaxDriver.ORBAX_VERSION).append(" reads (file://, and gs:// on"
                    + " fake-gcs-server). Orbax's AUTO mode reads file:// with ").append(reader("file"))
                    .append(" (and s3:// with the same), gs:// with ").append(reader("gs"))
                    .append("; COMMIT_FILE mode always reads the marker:\n\n");
            out.append("| path | strategy | Orbax AUTO | Orbax COMMIT_FILE |\n|---|---|---|---|\n");
            for (Map.Entry<String, List<Probe>> e : new TreeMap<>(PROBES).entrySet()) {
                List<Probe> probes = sorted(e.getValue());
                out.append("| ").append(e.getKey()).append(" | ").append(verdict(probes, true)).append(" | ")
                        .append(verdict(probes, false)).append(" |\n");
            }
            out.append("\nWhat Orbax answered while the Java commit was stopped at each step (is_path_finalized of the"
                    + " checkpoint; steps its standard name format lists):\n\n");
            out.append("| path | strategy | Java commit at | AUTO finalized | AUTO steps | COMMIT_FILE finalized"
                    + " | COMMIT_FILE steps |\n|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, List<Probe>> e : new TreeMap<>(PROBES).entrySet()) {
                for (Probe p : sorted(e.getValue())) {
                    out.append("| ").append(e.getKey()).append(" | ").append(p.phase()).append(" | ")
                            .append(p.autoFinalized() ? "**yes**" : "no").append(" | ").append(p.autoSteps())
                            .append(" | ").append(p.commitFileFinalized() ? "**yes**" : "no").append(" | ")
                            .append(p.commitFileSteps()).append(" |\n");
                }
            }
        }
        if (!ORBAX_WROTE.isEmpty()) {
            out.append("\nOrbax ").append(OrbaxDriver.ORBAX_VERSION).append(" writes (CheckpointManager), Java reads"
                    + " (CheckpointDirectory):\n\n");
            out.append("| path | Orbax mode | steps saved | Java listed | Java latest | Java validated"
                    + " | Java deleted (keep 2) | Orbax restored | Orbax lists afterwards |\n"
                    + "|---|---|---|---|---:|---:|---|---|---|\n");
            for (OrbaxWrote r : new TreeMap<>(ORBAX_WROTE).values()) {
                out.append("| ").append(r.scheme()).append(" | ").append(r.mode()).append(" | ").append(r.saved())
                        .append(" | ").append(r.javaListed()).append(" | ").append(r.javaLatest()).append(" | ")
                        .append(r.javaValidated()).append(" | ").append(r.javaDeleted()).append(" | ")
                        .append(r.orbaxRestored()).append(" | ").append(r.orbaxStepsAfter()).append(" |\n");
            }
        }
        return out.toString().stripTrailing();
    }

    private static String reader(String scheme) {
        return AUTO_READER.getOrDefault(scheme, "(not asked)");
    }

    private static List<Probe> sorted(List<Probe> probes) {
        synchronized (probes) {
            return probes.stream().sorted(Comparator.comparingInt(Probe::order)).collect(Collectors.toList());
        }
    }
}
