package io.atomiccheckpoint.checkpoints;

import io.atomiccheckpoint.location.Location;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A finalized checkpoint found under a checkpoint root: its location and the step number in its name. */
public final class CommittedCheckpoint {
    private static final Pattern TRAILING_DIGITS = Pattern.compile("(\\d+)$");

    private final Location location;
    private final OptionalLong step;

    CommittedCheckpoint(Location location) {
        this.location = location;
        Matcher m = TRAILING_DIGITS.matcher(location.name());
        // A run of digits longer than a long holds has no step; never a number made of its last digits.
        this.step = m.find() && m.group(1).length() <= 18 ? OptionalLong.of(Long.parseLong(m.group(1)))
                : OptionalLong.empty();
    }

    public Location location() {
        return location;
    }

    /** The number that ends the checkpoint's name ({@code step_1200} and {@code 1200} give 1200), if any. */
    public OptionalLong step() {
        return step;
    }

    @Override
    public String toString() {
        return location + (step.isPresent() ? " (step " + step.getAsLong() + ")" : "");
    }
}
