package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;
import java.util.List;

/**
 * The result of checking every object a commit marker lists against the store: which are missing, which
 * changed (size, version or checksum differ) and which objects are present that the marker does not list.
 * Each list keeps at most {@link #SAMPLE_LIMIT} examples; the counts are exact.
 */
public final class DeepValidationReport {
    /** Most examples kept per kind of problem, so a badly damaged checkpoint cannot exhaust memory. */
    public static final int SAMPLE_LIMIT = 100;

    private final Location location;
    private final boolean inventory;
    private final long checked;
    private final long missingCount;
    private final long changedCount;
    private final long unexpectedCount;
    private final List<String> missing;
    private final List<String> changed;
    private final List<String> unexpected;

    public DeepValidationReport(Location location, boolean inventory, long checked, long missingCount,
            List<String> missing, long changedCount, List<String> changed, long unexpectedCount, List<String> unexpected) {
        this.location = location;
        this.inventory = inventory;
        this.checked = checked;
        this.missingCount = missingCount;
        this.changedCount = changedCount;
        this.unexpectedCount = unexpectedCount;
        this.missing = List.copyOf(missing);
        this.changed = List.copyOf(changed);
        this.unexpected = List.copyOf(unexpected);
    }

    public Location location() {
        return location;
    }

    /** False when the marker lists no objects (a reference-implementation marker): nothing could be checked. */
    public boolean hasInventory() {
        return inventory;
    }

    /** Number of marker entries checked. */
    public long checked() {
        return checked;
    }

    public long missingCount() {
        return missingCount;
    }

    public long changedCount() {
        return changedCount;
    }

    public long unexpectedCount() {
        return unexpectedCount;
    }

    /** Relative keys listed in the marker but absent from the store. */
    public List<String> missing() {
        return missing;
    }

    /** {@code key: reason} for objects whose size, version or checksum differ from the marker. */
    public List<String> changed() {
        return changed;
    }

    /** Relative keys present in the store but not listed in the marker. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** True when the checkpoint is exactly what the marker says. */
    public boolean isIntact() {
        return inventory && missingCount == 0 && changedCount == 0 && unexpectedCount == 0;
    }

    @Override
    public String toString() {
        if (!inventory) {
            return location + ": marker has no inventory; objects not checked";
        }
        return location + ": checked " + checked + ", missing " + missingCount + missing + ", changed " + changedCount
                + changed + ", unexpected " + unexpectedCount + unexpected;
    }
}
