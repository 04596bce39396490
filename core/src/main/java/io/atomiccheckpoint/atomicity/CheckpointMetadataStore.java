package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;
import java.time.Instant;
import java.util.Optional;

/**
 * The reference design's checkpoint metadata store: records when a checkpoint's temporary location was
 * created ({@code create}) and when it was committed (just before the commit becomes visible), inside the
 * checkpoint itself so the timestamps travel with it.
 */
public interface CheckpointMetadataStore {
    /** Records the init timestamp in the checkpoint at {@code temporary}. */
    void writeInitTimestamp(Location temporary, Instant init);

    /** Records the commit timestamp in the checkpoint at {@code temporary}, keeping the init timestamp. */
    void writeCommitTimestamp(Location temporary, Instant commit);

    /** The init timestamp recorded in the checkpoint at {@code location}, if any. */
    Optional<Instant> initTimestamp(Location location);
}
