package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.CheckpointMetadataStore;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestEntry;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.manifest.ManifestWriter;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.PutMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three strategies share: the two locations, the asynchronous plumbing of create and commit, the
 * clean-up of leftovers, the metadata timestamps, and writing the manifest as the commit marker. Each
 * strategy adds only its own create and commit steps.
 */
abstract class StoreTemporaryPath implements TemporaryPath {
    private static final Logger LOG = LoggerFactory.getLogger(StoreTemporaryPath.class);

    final Store store;
    final CommitSettings settings;
    final CommitMarkers markers;
    final Location temporary;
    final Location finalLocation;
    final TemporaryPathOptions options;
    private final String strategy;
    private volatile Instant createdAt;

    StoreTemporaryPath(String strategy, Store store, CommitSettings settings, Location temporary,
            Location finalLocation, TemporaryPathOptions options) {
        this.strategy = strategy;
        this.store = store;
        this.settings = settings;
        this.markers = new CommitMarkers(store, settings);
        this.temporary = temporary;
        this.finalLocation = finalLocation;
        this.options = options;
    }

    @Override
    public Location get() {
        return temporary;
    }

    @Override
    public Location getFinal() {
        return finalLocation;
    }

    @Override
    public CompletionStage<Location> create() {
        return CompletableFuture.supplyAsync(() -> {
            createNow();
            createdAt = options.clock().instant();
            options.metadataStore().ifPresent(m -> m.writeInitTimestamp(temporary, createdAt));
            LOG.info("created temporary location {} for {}", temporary, finalLocation);
            return temporary;
        }, options.executor());
    }

    @Override
    public CompletionStage<CommitResult> commit() {
        return CompletableFuture.supplyAsync(() -> {
            Instant start = options.clock().instant();
            CommitResult result = commitNow(start);
            LOG.info("committed {}", result);
            return result;
        }, options.executor());
    }

    @Override
    public StagingArea staging() {
        return new StagingArea(store, temporary, Set.of(settings.markerName()), settings.copyConcurrency());
    }

    /** The strategy's create step, before the init timestamp is recorded. */
    abstract void createNow();

    /** The strategy's commit. */
    abstract CommitResult commitNow(Instant start);

    void step(CommitStep step, long index) {
        options.observer().onStep(step, index);
    }

    /** Fails if {@code finalLocation} already has a marker: committing twice must never replace a checkpoint. */
    void failIfCommitted() {
        if (markers.stat(finalLocation).isPresent()) {
            throw new CommitConflictException(finalLocation, "already a committed checkpoint ("
                    + markers.describeCommitter(finalLocation) + "); refusing to overwrite it");
        }
    }

    /** Deletes objects left below {@code location} by an unfinished attempt, logging what it removed. */
    void removeLeftovers(Location location, String what) {
        PrefixDeletion deletion = PrefixDeletion.run(store, location, settings);
        if (deletion.deleted() > 0) {
            LOG.warn("deleted {} objects of {} at {} before creating {}", deletion.deleted(), what, location, temporary);
        }
        if (deletion.failed() > 0) {
            throw new StoreException(ErrorKind.TRANSIENT, "create", location, "could not delete " + deletion.failed()
                    + " leftover objects, for example " + deletion.failures());
        }
    }

    void recordCommitTimestamp(Instant now) {
        options.metadataStore().ifPresent(m -> m.writeCommitTimestamp(temporary, now));
    }

    Instant initTimestamp() {
        CheckpointMetadataStore metadata = options.metadataStore().orElse(null);
        if (metadata != null) {
            Instant recorded = metadata.initTimestamp(temporary).orElse(null);
            if (recorded != null) {
                return recorded;
            }
        }
        return createdAt;
    }

    /** Adds an entry for every object below {@code location} except a marker left there by a crashed attempt. */
    void inventory(Location location, ManifestWriter manifest) {
        String staleMarker = settings.marker(location).key();
        try (Stream<ObjectInfo> listing = store.list(location, settings.listPageSize())) {
            listing.filter(o -> !o.key().equals(staleMarker))
                    .forEach(o -> manifest.add(ManifestEntry.of(location.relativeKey(o.key()).orElseThrow(), o)));
        }
    }

    /**
     * Writes the manifest to {@code markerLocation}. With {@link PutMode#CREATE}, losing the race to another
     * writer becomes a {@link CommitConflictException} naming the winner. A refusal caused by this very write
     * (the SDK retried after a lost response and found the marker it had written) is recognised by the
     * commit id and counts as success.
     */
    ManifestHeader writeMarker(ManifestWriter manifest, Location markerLocation, PutMode mode, Instant commitTime) {
        if (manifest.count() == 0) {
            LOG.warn("committing {} with no objects in {}", finalLocation, temporary);
        }
        Instant init = initTimestamp();
        String commitId = UUID.randomUUID().toString();
        Path file = manifest.finish(strategy, options.writerId(), commitId, finalLocation.toString(), init, commitTime);
        try {
            store.writeFile(markerLocation, file, mode);
        } catch (PreconditionFailedException refused) {
            if (!markerHasCommitId(commitId)) {
                throw new CommitConflictException(finalLocation, "another writer committed first ("
                        + markers.describeCommitter(finalLocation) + "); this commit wrote no marker", refused);
            }
            LOG.info("the marker of {} was already written by this commit (a retried request)", finalLocation);
        }
        return new ManifestHeader(ManifestHeader.FORMAT_VERSION, strategy, options.writerId(), commitId,
                finalLocation.toString(), init, commitTime, manifest.count(), manifest.totalBytes(), true);
    }

    private boolean markerHasCommitId(String commitId) {
        try {
            return markers.read(finalLocation, reader -> reader.header().commitId().map(commitId::equals).orElse(false));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** Deletes the temporary location after a commit; failures are reported, not thrown, since the commit holds. */
    List<String> deleteTemporary() {
        List<String> failures = new ArrayList<>();
        try {
            PrefixDeletion deletion = PrefixDeletion.run(store, temporary, settings,
                    batch -> step(CommitStep.TEMPORARY_BATCH_DELETED, batch));
            failures.addAll(deletion.failures());
            if (deletion.failed() > 0) {
                LOG.warn("committed {} but could not delete {} temporary objects, for example {}", finalLocation,
                        deletion.failed(), deletion.failures());
            }
        } catch (RuntimeException e) {
            LOG.warn("committed {} but could not delete the temporary location {}: {}", finalLocation, temporary,
                    e.toString());
            failures.add(e.toString());
        }
        return failures;
    }

    @Override
    public String toString() {
        return strategy + "{temporary=" + temporary + ", final=" + finalLocation + "}";
    }
}
