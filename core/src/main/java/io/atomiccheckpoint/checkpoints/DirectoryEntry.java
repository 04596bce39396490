package io.atomiccheckpoint.checkpoints;

import io.atomiccheckpoint.location.Location;

/**
 * What a directory directly below a checkpoint root is: a committed checkpoint, a temporary location of some
 * attempt, or an unmarked prefix (a checkpoint being written in place, one whose writer died, or one whose marker
 * does not validate). Tools that show a root list all three; readers use only {@link CommittedCheckpoint}s.
 */
public sealed interface DirectoryEntry permits CommittedCheckpoint, DirectoryEntry.Temporary, DirectoryEntry.Unmarked {
    /** The directory. */
    Location location();

    /** A temporary location ({@code <final>.orbax-checkpoint-tmp}); it may belong to a live writer. */
    record Temporary(Location location) implements DirectoryEntry {
    }

    /**
     * A directory that is not a committed checkpoint.
     *
     * @param reason why: no marker, or the marker's validation error
     */
    record Unmarked(Location location, String reason) implements DirectoryEntry {
    }
}
