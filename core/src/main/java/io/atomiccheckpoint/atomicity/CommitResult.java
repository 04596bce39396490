package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a finished commit did: the committed location and manifest header, how many objects were copied or
 * found already in place, how long until the marker was written, and the clean-up of the temporary location,
 * which may still be running ({@link #cleanup()}); the checkpoint is committed regardless, and
 * {@code CheckpointDirectory.cleanupTemporaries} removes whatever a failed clean-up left.
 */
public final class CommitResult {
    private final Location finalLocation;
    private final ManifestHeader manifest;
    private final long copied;
    private final long alreadyInPlace;
    private final CompletableFuture<List<String>> cleanup;
    private final Duration elapsed;

    public CommitResult(Location finalLocation, ManifestHeader manifest, long copied, long alreadyInPlace,
            CompletionStage<List<String>> cleanup, Duration elapsed) {
        this.finalLocation = finalLocation;
        this.manifest = manifest;
        this.copied = copied;
        this.alreadyInPlace = alreadyInPlace;
        this.cleanup = cleanup.toCompletableFuture();
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

    /**
     * The clean-up of the temporary location: completes with the objects that could not be deleted (at most
     * 100 are named), after {@code commit()} returned if it runs in the background. It never fails: a failure is
     * reported in the list.
     */
    public CompletionStage<List<String>> cleanup() {
        return cleanup;
    }

    /** What {@link #cleanup()} reported, once it has finished; empty while it still runs. */
    public List<String> cleanupFailures() {
        return cleanup.getNow(List.of());
    }

    /** From the start of the commit until its marker was written (the visible latency). */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "CommitResult{" + finalLocation + ", objects=" + manifest.objectCount() + ", bytes=" + manifest.totalBytes()
                + ", copied=" + copied + ", alreadyInPlace=" + alreadyInPlace + ", cleanup="
                + (cleanup.isDone() ? cleanupFailures().size() + " failures" : "running") + ", elapsed="
                + elapsed.toMillis() + "ms}";
    }
}
