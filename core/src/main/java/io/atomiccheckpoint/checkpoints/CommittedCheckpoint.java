package io.atomiccheckpoint.checkpoints;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finalized checkpoint found under a checkpoint root: its location, the step number in its name, and its
 * marker's header (who committed how many objects and bytes, and when).
 */
public final class CommittedCheckpoint implements DirectoryEntry {
    private static final Pattern TRAILING_DIGITS = Pattern.compile("(\\d+)$");

    private final Location location;
    private final OptionalLong step;
    private final ManifestHeader header;
    private final Instant markerTime;

    CommittedCheckpoint(Location location, ManifestHeader header, Instant markerTime) {
        this.location = location;
        this.header = header;
        this.markerTime = markerTime;
        this.step = stepOf(location.name());
    }

    /** The number that ends {@code name}, if any; a run of digits longer than a long holds gives none. */
    static OptionalLong stepOf(String name) {
        Matcher m = TRAILING_DIGITS.matcher(name);
        // Never a number made of the last digits of a longer run.
        return m.find() && m.group(1).length() <= 18 ? OptionalLong.of(Long.parseLong(m.group(1)))
                : OptionalLong.empty();
    }

    @Override
    public Location location() {
        return location;
    }

    /** The number that ends the checkpoint's name ({@code step_1200} and {@code 1200} give 1200), if any. */
    public OptionalLong step() {
        return step;
    }

    /**
     * The marker's header. An Orbax marker (plain text) gives a header without inventory: object count, bytes and
     * writer are unknown.
     */
    public ManifestHeader header() {
        return header;
    }

    /**
     * When the checkpoint was committed: the manifest's commit timestamp, else (an Orbax marker) the marker
     * object's modification time as the store reports it, if it does.
     */
    public Optional<Instant> commitTime() {
        return header.commitTimestamp().or(() -> Optional.ofNullable(markerTime));
    }

    @Override
    public String toString() {
        return location + (step.isPresent() ? " (step " + step.getAsLong() + ")" : "");
    }
}
