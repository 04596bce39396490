package io.atomiccheckpoint.checkpoints;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.commit.CommitMarkers;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixDeletion;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints directly below a root location, as a training job sees them: which are finalized, which
 * is the latest, how to delete one without ever exposing a half-deleted checkpoint, and how to clean up
 * temporaries that crashed writers abandoned. Everything streams; nothing holds the whole root in memory.
 */
public final class CheckpointDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointDirectory.class);

    private final Store store;
    private final Location root;
    private final CommitSettings settings;
    private final CommitMarkers markers;
    private final Clock clock;

    public CheckpointDirectory(Store store, Location root) {
        this(store, root, CommitSettings.defaults(), Clock.systemUTC());
    }

    public CheckpointDirectory(Store store, Location root, CommitSettings settings, Clock clock) {
        this.store = store;
        this.root = root;
        this.settings = settings;
        this.markers = new CommitMarkers(store, settings);
        this.clock = clock;
    }

    public Location root() {
        return root;
    }

    /**
     * The finalized checkpoints below the root: each directory whose name does not contain the temporary suffix
     * (Orbax would not take it for finished) and whose marker reads as
     * a marker of that very location (a 0-byte or foreign marker, or one copied from elsewhere, is not a
     * checkpoint), in key order. A directory that cannot be judged (its marker cannot be read) is logged and
     * skipped; it does not fail the listing. Close the stream if you stop early.
     */
    public Stream<CommittedCheckpoint> committed() {
        return store.listDirectories(root)
                .filter(dir -> !settings.containsTemporarySuffix(dir.name()))
                .filter(this::isCommitted)
                .map(CommittedCheckpoint::new);
    }

    /** Whether {@code dir} holds a marker that validates as this location's; never throws. */
    private boolean isCommitted(Location dir) {
        try {
            if (markers.stat(dir).isEmpty()) {
                return false;
            }
            markers.checkHeader(dir);
            return true;
        } catch (RuntimeException odd) {
            LOG.warn("skipping {}: its commit marker does not validate ({})", dir, odd.getMessage());
            return false;
        }
    }

    /** The finalized checkpoint with the highest step number, if any has one. */
    public Optional<CommittedCheckpoint> latest() {
        try (Stream<CommittedCheckpoint> all = committed()) {
            return all.filter(c -> c.step().isPresent())
                    .max(Comparator.comparingLong(c -> c.step().getAsLong()));
        }
    }

    /**
     * The temporary locations below the root, committed or not: this library's and Orbax's
     * ({@code <final>.orbax-checkpoint-tmp}, and {@code <final>.orbax-checkpoint-tmp-<N>} of Orbax before 0.11.20).
     */
    public Stream<Location> temporaries() {
        return store.listDirectories(root).filter(dir -> settings.isTemporaryName(dir.name()));
    }

    /**
     * Deletes a checkpoint directly below the root. The marker goes first, so from the first request on
     * readers no longer see a checkpoint, never a partial one.
     *
     * @throws IllegalArgumentException if {@code checkpoint} is not directly below the root
     * @throws StoreException if some objects could not be deleted (the checkpoint is already unmarked)
     */
    public void delete(Location checkpoint) {
        if (!root.contains(checkpoint) || !checkpoint.parent().orElseThrow().equals(root)) {
            throw new IllegalArgumentException(checkpoint + " is not a checkpoint directly below " + root
                    + "; refusing to delete it");
        }
        if (settings.containsTemporarySuffix(checkpoint.name())) {
            throw new IllegalArgumentException(checkpoint + " is named like a temporary location, which may belong to"
                    + " a live writer; use cleanupTemporaries to remove abandoned ones");
        }
        // Only a committed checkpoint: an unmarked directory may be a CommitInPlace attempt still being written.
        markers.checkHeader(checkpoint);
        store.delete(settings.marker(checkpoint));
        PrefixDeletion deletion = PrefixDeletion.run(store, checkpoint, settings);
        if (deletion.failed() > 0) {
            throw new StoreException(ErrorKind.TRANSIENT, "delete", checkpoint, deletion.failed() + " objects could not be deleted, for example "
                    + deletion.failures());
        }
        LOG.info("deleted checkpoint {} ({} objects)", checkpoint, deletion.deleted());
    }

    /**
     * Deletes temporary locations whose checkpoint is already committed (leftovers of a commit that crashed
     * after its marker), and those abandoned for longer than {@code olderThan}. A temporary's age is measured
     * from the last sign of life of its attempt: the later of its lease's last change (create, seal, commit) and
     * its newest object. A temporary with neither (an empty one without a lease) counts as just seen, and is kept
     * until it looks abandoned twice: a writer may be about to take its lease. A writer whose temporary is
     * removed anyway loses nothing committed: its commit fails with {@code AttemptSupersededException}.
     */
    public CleanupSummary cleanupTemporaries(Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        long removed = 0;
        long kept = 0;
        long objects = 0;
        try (Stream<Location> temps = temporaries()) {
            for (Location temp : (Iterable<Location>) temps::iterator) {
                Location finalLocation = settings.finalFor(temp);
                boolean committed;
                Optional<Instant> lastSeen;
                try {
                    committed = markers.stat(finalLocation).isPresent();
                    lastSeen = lastSignOfLife(temp);
                } catch (RuntimeException odd) {
                    LOG.warn("skipping temporary {}: {}", temp, odd.getMessage());
                    kept++;
                    continue;
                }
                boolean abandoned = lastSeen.map(t -> t.isBefore(cutoff)).orElse(olderThan.isZero());
                if (committed || abandoned) {
                    PrefixDeletion deletion = PrefixDeletion.run(store, temp, settings);
                    objects += deletion.deleted();
                    removed++;
                    LOG.info("removed temporary {} ({} objects, {})", temp, deletion.deleted(),
                            committed ? "its checkpoint is committed" : "no sign of life since before " + cutoff);
                } else {
                    kept++;
                }
            }
        }
        return new CleanupSummary(removed, kept, objects);
    }

    /** The latest modification of any object in a temporary location, its lease included. */
    private Optional<Instant> lastSignOfLife(Location temp) {
        try (Stream<ObjectInfo> listing = store.list(temp, settings.listPageSize())) {
            return listing.map(o -> o.lastModified().orElse(Instant.MAX)).max(Comparator.naturalOrder());
        }
    }

    /** What {@link #cleanupTemporaries} did. */
    public static final class CleanupSummary {
        private final long removed;
        private final long kept;
        private final long objectsDeleted;

        CleanupSummary(long removed, long kept, long objectsDeleted) {
            this.removed = removed;
            this.kept = kept;
            this.objectsDeleted = objectsDeleted;
        }

        /** Temporary locations deleted. */
        public long removed() {
            return removed;
        }

        /** Temporary locations kept because a writer may still be using them. */
        public long kept() {
            return kept;
        }

        public long objectsDeleted() {
            return objectsDeleted;
        }

        @Override
        public String toString() {
            return "removed " + removed + " temporaries (" + objectsDeleted + " objects), kept " + kept;
        }
    }
}
