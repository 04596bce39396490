package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import java.time.Duration;
import java.util.List;

/**
 * What a finished commit did: the committed location and manifest header, how many objects were copied or
 * found already in place, and which temporary objects could not be deleted (the checkpoint is committed
 * regardless; {@code CheckpointDirectory.cleanupTemporaries} removes them later).
 */
public final class CommitResult {
    private final Location finalLocation;
    private final ManifestHeader manifest;
    private final long copied;
    private final long alreadyInPlace;
    private final List<String> cleanupFailures;
    private final Duration elapsed;

    public CommitResult(Location finalLocation, ManifestHeader manifest, long copied, long alreadyInPlace,
            List<String> cleanupFailures, Duration elapsed) {
        this.finalLocation = finalLocation;
        this.manifest = manifest;
        this.copied = copied;
        this.alreadyInPlace = alreadyInPlace;
        this.cleanupFailures = List.copyOf(cleanupFailures);
        this.elapsed = elapsed;
    }

    public Location finalLocation() {
        return finalLocation;
    }

    public ManifestHeader manifest() {
        return manifest;
    }

    /** Objects copied by this commit. */
    public long copied() {
        return copied;
    }

    /** Objects an earlier, interrupted attempt had already copied with identical content. */
    public long alreadyInPlace() {
        return alreadyInPlace;
    }

    /** Temporary objects that could not be deleted after the commit (at most 100 are kept). */
    public List<String> cleanupFailures() {
        return cleanupFailures;
    }

    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "CommitResult{" + finalLocation + ", objects=" + manifest.objectCount() + ", bytes=" + manifest.totalBytes()
                + ", copied=" + copied + ", alreadyInPlace=" + alreadyInPlace + ", cleanupFailures="
                + cleanupFailures.size() + ", elapsed=" + elapsed.toMillis() + "ms}";
    }
}
