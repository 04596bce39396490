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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
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
        return entries().filter(CommittedCheckpoint.class::isInstance).map(CommittedCheckpoint.class::cast);
    }

    /**
     * Every directory below the root, judged: committed checkpoints, temporaries and unmarked prefixes, in key
     * order. Costs a marker read per non-temporary directory, as {@link #committed()} does. Close the stream if you
     * stop early.
     */
    public Stream<DirectoryEntry> entries() {
        return store.listDirectories(root).map(this::judge);
    }

    /** What {@code dir} is; never throws: a marker that cannot be read or validated makes it unmarked. */
    private DirectoryEntry judge(Location dir) {
        if (settings.isTemporaryName(dir.name())) {
            return new DirectoryEntry.Temporary(dir);
        }
        if (settings.containsTemporarySuffix(dir.name())) {
            // Orbax takes any name holding the suffix for a temporary (and its clean-up deletes it): never a checkpoint.
            return new DirectoryEntry.Unmarked(dir, "its name contains the temporary suffix");
        }
        try {
            Optional<ObjectInfo> marker = markers.stat(dir);
            if (marker.isEmpty()) {
                return new DirectoryEntry.Unmarked(dir, "no commit marker");
            }
            return new CommittedCheckpoint(dir, markers.checkHeader(dir), marker.get().lastModified().orElse(null));
        } catch (RuntimeException odd) {
            LOG.warn("skipping {}: its commit marker does not validate ({})", dir, odd.getMessage());
            return new DirectoryEntry.Unmarked(dir, "commit marker does not validate: " + odd.getMessage());
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
        return cleanupTemporaries(olderThan, true, verdict -> { });
    }

    /**
     * {@link #cleanupTemporaries(Duration)}, telling {@code each} what it decided for every temporary; with
     * {@code apply} false nothing is deleted (a dry run: the summary counts what would be removed, and no objects).
     */
    public CleanupSummary cleanupTemporaries(Duration olderThan, boolean apply, Consumer<TemporaryVerdict> each) {
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
                    each.accept(new TemporaryVerdict(temp, false, "cannot be judged: " + odd.getMessage()));
                    kept++;
                    continue;
                }
                boolean abandoned = lastSeen.map(t -> t.isBefore(cutoff)).orElse(olderThan.isZero());
                if (committed || abandoned) {
                    String why = committed ? "its checkpoint is committed"
                            : "no sign of life since " + lastSeen.map(Object::toString).orElse("(never)");
                    each.accept(new TemporaryVerdict(temp, true, why));
                    removed++;
                    if (apply) {
                        PrefixDeletion deletion = PrefixDeletion.run(store, temp, settings);
                        objects += deletion.deleted();
                        LOG.info("removed temporary {} ({} objects, {})", temp, deletion.deleted(), why);
                    }
                } else {
                    each.accept(new TemporaryVerdict(temp, false, "last sign of life "
                            + lastSeen.map(Object::toString).orElse("(none yet)") + " is after " + cutoff));
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

    /**
     * What {@link #cleanupTemporaries(Duration, boolean, Consumer)} decided for one temporary location.
     *
     * @param remove whether it is (or, in a dry run, would be) removed
     * @param reason why, for people
     */
    public record TemporaryVerdict(Location temporary, boolean remove, String reason) {
    }

    /**
     * Which checkpoints {@code policy} keeps and which it would delete, without deleting anything. The latest
     * committed checkpoint (by step) is always kept, and so is a checkpoint without a step number, which no
     * policy can place. Holds one entry per checkpoint (not per object) in memory.
     */
    public RetentionPlan planRetention(RetentionPolicy policy) {
        List<CommittedCheckpoint> stepped = new ArrayList<>();
        List<RetentionPlan.Decision> unstepped = new ArrayList<>();
        try (Stream<CommittedCheckpoint> all = committed()) {
            all.forEach(c -> {
                if (c.step().isPresent()) {
                    stepped.add(c);
                } else {
                    unstepped.add(new RetentionPlan.Decision(c, true, List.of("no step number")));
                }
            });
        }
        stepped.sort(Comparator.comparingLong(c -> c.step().getAsLong()));
        return RetentionPlan.of(policy, stepped, unstepped);
    }

    /**
     * Deletes what {@code plan} marks for deletion, oldest first, each through {@link #delete} (marker first).
     * Goes on past a failed deletion and throws at the end, naming how many failed.
     *
     * @return the checkpoints deleted
     * @throws StoreException if any deletion failed (the others are done)
     */
    public List<Location> applyRetention(RetentionPlan plan) {
        List<Location> deleted = new ArrayList<>();
        RuntimeException first = null;
        int failed = 0;
        for (RetentionPlan.Decision d : plan.toDelete()) {
            try {
                delete(d.checkpoint().location());
                deleted.add(d.checkpoint().location());
            } catch (RuntimeException e) {
                failed++;
                if (first == null) {
                    first = e;
                } else if (first.getSuppressed().length < 10) {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw new StoreException(ErrorKind.TRANSIENT, "delete", root, failed + " of " + plan.toDelete().size()
                    + " checkpoints could not be deleted; first: " + first.getMessage(), first);
        }
        return deleted;
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
