package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitObserver;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.internal.OrderedPipeline;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestEntry;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.manifest.ManifestWriter;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.PutMode;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The default strategy for object stores, which cannot rename a directory. Each attempt stages into its own
 * directory beside the final location ({@code <final>.orbax-checkpoint-tmp/attempt-<id>/}); the commit copies
 * every object server-side into the final prefix, create-only, pinned to the version it listed and in
 * parallel, then writes the manifest as the commit marker, fenced by the attempt lease, and deletes the
 * temporary location.
 *
 * <p>Why it is atomic: readers treat a final prefix without a valid marker as no checkpoint, and the marker
 * appears only after every object is in place. Why no stale or racing writer can tear or spoil it: see the
 * fencing argument on {@code StoreTemporaryPath} (in short: {@code create()} revokes the lease before it
 * deletes, only the lease's current holder can produce a marker, and a stale attempt's copies are pinned to
 * sources that {@code create()} deletes first). Why it can be retried: a commit interrupted at any point is
 * resumed with {@link #fromTemporary}; objects an earlier try copied are recognised by content, and a marker
 * the attempt itself wrote is recognised by its commit id.
 */
public final class PrefixCopyCommit extends StoreTemporaryPathFactory {
    /** The name recorded in markers. */
    public static final String NAME = "PrefixCopyCommit";

    public PrefixCopyCommit(Store store) {
        this(store, CommitSettings.defaults());
    }

    public PrefixCopyCommit(Store store, CommitSettings settings) {
        super(store, settings);
    }

    @Override
    public String strategyName() {
        return NAME;
    }

    /** Accepts the temporary location ({@code <final><suffix>}) or one attempt's directory inside it. */
    @Override
    public void validate(Location temporary) throws ValidationError {
        checkTemporaryName(settings.attemptIdOf(temporary).isPresent() ? temporary.parent().orElseThrow() : temporary);
    }

    /**
     * A path to resume or join: from an attempt's directory ({@link TemporaryPath#get()} after create()), that
     * attempt; from the temporary location, whichever attempt holds the lease when the commit starts.
     */
    @Override
    public TemporaryPath fromTemporary(Location temporary, TemporaryPathOptions options) throws ValidationError {
        validate(temporary);
        String attempt = settings.attemptIdOf(temporary).orElse(null);
        Location base = attempt == null ? temporary : temporary.parent().orElseThrow();
        return new Path(this, base, finalOfSiblingTemporary(base, options), options, attempt, true);
    }

    @Override
    public TemporaryPath fromFinal(Location finalLocation, TemporaryPathOptions options) throws ValidationError {
        checkFinalShape(finalLocation);
        checkOptions(finalLocation, options);
        return new Path(this, settings.temporaryFor(finalLocation), finalLocation, options, null, false);
    }

    /** One checkpoint committed by prefix copy. */
    private static final class Path extends StoreTemporaryPath {
        Path(PrefixCopyCommit factory, Location base, Location finalLocation, TemporaryPathOptions options,
                String attempt, boolean resumed) {
            super(NAME, factory.store, factory.settings, base, finalLocation, options, true, attempt, resumed);
        }

        /**
         * Older attempts' directories go first: they are the sources of any stale copy still to come, and a copy
         * pinned to a deleted source can no longer land. Only then the unmarked objects in the final location,
         * which include every stale copy that did land, each listing page once the lease is found to be still
         * this attempt's.
         */
        @Override
        void createNow() {
            removeLeftovers(base, "older attempts");
            abortStaleUploads();
            removeLeftoversOfFinal();
            store.createDirectory(stagingRoot(), options.fileOptions().pathPermissions().orElse(null));
        }

        @Override
        CommitResult commitPrepared(Instant start, Prelude prelude, CommitFuture control) {
            Location root = stagingRoot();
            AtomicLong copied = new AtomicLong();
            AtomicLong alreadyInPlace = new AtomicLong();
            AtomicLong done = new AtomicLong();
            FinishedManifest finished;
            CompletionStage<List<String>> cleanup;
            // 1 on every store but GCS, whose copies go up to 100 per JSON batch request.
            int batchSize = store.maxCopyBatch(finalLocation);
            try (ManifestWriter manifest = new ManifestWriter();
                    OrderedPipeline<List<ManifestEntry>> copies = copyPipeline(manifest, batchSize);
                    Stream<ObjectInfo> listing = store.list(root, settings.listPageSize())) {
                Instant commitTime = options.clock().instant();
                // Written before the listing, which must see the metadata file as it will be copied.
                recordCommitTimestamp(commitTime);
                Iterator<ObjectInfo> sources = listing.iterator();
                // The first page is fetched while the marker check and the seal run; both settle before any copy.
                boolean any = sources.hasNext();
                String token = prelude.awaitToken();
                DirectoryPermissions directories = new DirectoryPermissions(finalLocation);
                List<PendingCopy> batch = new ArrayList<>(batchSize);
                step(CommitStep.STARTED, 0);
                while (any && sources.hasNext()) {
                    control.stopIfCancelled("commit of " + finalLocation + " cancelled before its marker; attempt "
                            + attempt().orElse("?") + " is sealed and can be resumed");
                    ObjectInfo source = sources.next();
                    String relative = root.relativeKey(source.key()).orElseThrow();
                    if (relative.equals(settings.markerName())) {
                        throw new CommitConflictException(root.resolve(relative), "the temporary location holds an"
                                + " object named like the commit marker; it would be taken for a marker");
                    }
                    Location target = finalLocation.resolve(relative);
                    directories.prepare(target);
                    PendingCopy pending = new PendingCopy(root, source, relative, target);
                    if (batchSize == 1) {
                        copies.submit(() -> List.of(settle(pending, () -> store.copy(pending.from(), target,
                                pending.options()), copied, alreadyInPlace, done)));
                        continue;
                    }
                    batch.add(pending);
                    if (batch.size() == batchSize) {
                        submitBatch(copies, List.copyOf(batch), copied, alreadyInPlace, done);
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    submitBatch(copies, List.copyOf(batch), copied, alreadyInPlace, done);
                }
                copies.drain();
                step(CommitStep.BEFORE_MARKER, 0);
                finished = writeFencedMarker(manifest, token, commitTime, control);
                step(CommitStep.MARKER_WRITTEN, 0);
                Duration visible = Duration.between(start, options.clock().instant());
                cleanup = finishAfterMarker(finished, root);
                return new CommitResult(finalLocation, finished.header(), copied.get(), alreadyInPlace.get(), cleanup,
                        visible);
            }
        }

        /**
         * Copies run on the user's shared executor if the settings name one, else on threads of this commit; each
         * task copies one object, or one batch, and yields its manifest entries in listing order. Batches are
         * fewer in flight than single copies, {@code ceil(4 * copyConcurrency / batchSize)} (2 batches of 100 by
         * default: 200 copies, about what the GCS connector's 15 batches of 15 put in flight), so a batching store
         * does not see a hundred times the copies at once.
         */
        private OrderedPipeline<List<ManifestEntry>> copyPipeline(ManifestWriter manifest, int batchSize) {
            int concurrency = batchSize == 1 ? settings.copyConcurrency()
                    : Math.max(1, (4 * settings.copyConcurrency() + batchSize - 1) / batchSize);
            Consumer<List<ManifestEntry>> sink = entries -> entries.forEach(manifest::add);
            return settings.copyExecutor()
                    .map(shared -> new OrderedPipeline<List<ManifestEntry>>(shared, concurrency * 4, sink))
                    .orElseGet(() -> new OrderedPipeline<>("copy", concurrency, sink));
        }

        /** A listed source and where it goes. */
        private record PendingCopy(Location root, ObjectInfo source, String relative, Location target) {
            Location from() {
                return root.sameBucket(source.key());
            }

            /** Create-only, pinned to the listed version. */
            CopyOptions options() {
                return CopyOptions.pinnedTo(source, PutMode.CREATE);
            }
        }

        /**
         * Sends the copies of one batch as one request ({@link Store#copyBatch}); each copy carries the same
         * conditions as a single one and its outcome is settled as a single copy's would be.
         */
        private void submitBatch(OrderedPipeline<List<ManifestEntry>> copies, List<PendingCopy> batch,
                AtomicLong copied, AtomicLong alreadyInPlace, AtomicLong done) {
            copies.submit(() -> {
                List<CopyRequest> requests = new ArrayList<>(batch.size());
                for (PendingCopy c : batch) {
                    requests.add(new CopyRequest(c.from(), c.target(), c.options()));
                }
                List<CopyOutcome> outcomes = store.copyBatch(requests);
                List<ManifestEntry> entries = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    CopyOutcome outcome = outcomes.get(i);
                    entries.add(settle(batch.get(i), outcome::getOrThrow, copied, alreadyInPlace, done));
                }
                return entries;
            });
        }

        /**
         * One create-only copy pinned to the listed version ({@code copy} sends it, alone or as its outcome in a
         * batch). A refusal is an earlier try's copy (same content: kept), another writer's object (a conflict), or
         * a source that changed or vanished since the listing, which happens only when a newer attempt took over
         * (superseded) or someone writes into this attempt.
         */
        private ManifestEntry settle(PendingCopy pending, Supplier<ObjectInfo> copy,
                AtomicLong copied, AtomicLong alreadyInPlace, AtomicLong done) {
            Location from = pending.from();
            Location target = pending.target();
            ObjectInfo source = pending.source();
            String relative = pending.relative();
            ObjectInfo result;
            try {
                result = copy.get();
                // The result is what the service reported for the target, so this check can fail.
                if (result.size() != source.size() || result.sameContentAs(source).equals(Optional.of(false))) {
                    throw new StoreException(ErrorKind.CORRUPT, "copy", target, "the copy does not match its source "
                            + from + " (source " + source + ", copy " + result + ")");
                }
                copied.incrementAndGet();
            } catch (PreconditionFailedException refused) {
                Optional<ObjectInfo> there = store.stat(target);
                if (there.isEmpty()) {
                    throw sourceLost(from, refused);
                }
                boolean same;
                try {
                    same = ContentComparison.same(store, from, source, target, there.get());
                } catch (ObjectNotFoundException gone) {
                    throw sourceLost(from, gone);
                }
                if (!same) {
                    failIfSuperseded(refused);
                    throw new CommitConflictException(target, "already holds a different object (another writer's, or"
                            + " left by an earlier checkpoint); refusing to overwrite it", refused);
                }
                alreadyInPlace.incrementAndGet();
                result = there.get();
            } catch (ObjectNotFoundException gone) {
                throw sourceLost(from, gone);
            }
            transferred(CommitObserver.Transfer.COPIED, result.size());
            step(CommitStep.OBJECT_COPIED, done.incrementAndGet());
            return ManifestEntry.of(relative, result.withKey(target.key()));
        }

        /**
         * Gives the final location's directories the permissions asked for in {@code FileOptions}, on stores that
         * have directories, before the copies create them with the store's defaults. Remembers the directories it
         * made, which grow with the number of directories, not objects.
         */
        private final class DirectoryPermissions {
            private final java.util.Set<PosixFilePermission> permissions;
            private final java.util.Set<Location> done = new java.util.HashSet<>();

            DirectoryPermissions(Location finalLocation) {
                this.permissions = store.hasDirectories() ? options.fileOptions().pathPermissions().orElse(null) : null;
                if (permissions != null) {
                    store.createDirectory(finalLocation, permissions);
                    done.add(finalLocation);
                }
            }

            void prepare(Location target) {
                if (permissions == null) {
                    return;
                }
                java.util.Deque<Location> missing = new java.util.ArrayDeque<>();
                for (Location dir = target.parent().orElseThrow(); !done.contains(dir); dir = dir.parent().orElseThrow()) {
                    missing.push(dir);
                }
                while (!missing.isEmpty()) {
                    Location dir = missing.pop();
                    store.createDirectory(dir, permissions);
                    done.add(dir);
                }
            }
        }

        private CommitConflictException sourceLost(Location source, RuntimeException cause) {
            if (attempt().flatMap(this::committedBy).isPresent()) {
                return new CommitConflictException(finalLocation, "another committer of attempt " + attempt().orElseThrow()
                        + " committed it first (its clean-up removed the sources)", cause);
            }
            failIfSuperseded(cause);
            return new CommitConflictException(source, "changed or vanished after it was listed; someone is writing"
                    + " into this attempt while it commits", cause);
        }
    }
}
