package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
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
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.PutMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The default strategy for object stores, which cannot rename a directory: write into a sibling prefix
 * ({@code <final>.orbax-checkpoint-tmp}), then commit by copying every object server-side into the final
 * prefix, create-only and in parallel, writing the manifest as the commit marker last and create-only, and
 * deleting the temporary prefix.
 *
 * <p>Why it is atomic: readers treat a final prefix without a valid marker as no checkpoint, and the marker
 * appears only after every object is in place. Why it is safe against races: copies and the marker are
 * create-only, so a second committer (a zombie primary) can neither overwrite a committed object nor write a
 * second marker; it fails with {@link CommitConflictException}. Why it can be retried: a commit interrupted
 * at any point is resumed with {@link #fromTemporary}; objects an earlier attempt copied are recognised by
 * content and kept.
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

    @Override
    public void validate(Location temporary) throws ValidationError {
        checkTemporaryName(temporary);
    }

    @Override
    public TemporaryPath fromTemporary(Location temporary, TemporaryPathOptions options) throws ValidationError {
        return new Path(this, temporary, finalOfSiblingTemporary(temporary, options), options);
    }

    @Override
    public TemporaryPath fromFinal(Location finalLocation, TemporaryPathOptions options) throws ValidationError {
        checkFinalShape(finalLocation);
        checkOptions(finalLocation, options);
        return new Path(this, settings.temporaryFor(finalLocation), finalLocation, options);
    }

    /** One checkpoint committed by prefix copy. */
    private static final class Path extends StoreTemporaryPath {
        private final AtomicLong copied = new AtomicLong();
        private final AtomicLong alreadyInPlace = new AtomicLong();

        Path(PrefixCopyCommit factory, Location temporary, Location finalLocation, TemporaryPathOptions options) {
            super(NAME, factory.store, factory.settings, temporary, finalLocation, options);
        }

        @Override
        void createNow() {
            failIfCommitted();
            removeLeftovers(temporary, "an unfinished earlier attempt");
            // A final prefix without a marker holds the partial copies of an interrupted commit.
            removeLeftovers(finalLocation, "an interrupted commit");
            store.createDirectory(temporary, options.fileOptions().pathPermissions().orElse(null));
        }

        @Override
        CommitResult commitNow(Instant start) {
            ManifestHeader header;
            try (ManifestWriter manifest = new ManifestWriter();
                    OrderedPipeline<ManifestEntry> copies = new OrderedPipeline<>("copy", settings.copyConcurrency(),
                            manifest::add);
                    Stream<ObjectInfo> listing = store.list(temporary, settings.listPageSize())) {
                // The check for a marker overlaps the first requests, saving a round trip. It only makes the
                // error early and clear: create-only copies and marker never overwrite a committed checkpoint.
                Future<?> notCommitted = copies.runAside(this::failIfCommitted);
                Instant commitTime = options.clock().instant();
                if (options.metadataStore().isPresent()) {
                    // The timestamp is written into the temporary location: only once no marker was found, and
                    // before the listing, which must see the metadata file as it will be copied.
                    OrderedPipeline.join(notCommitted);
                    recordCommitTimestamp(commitTime);
                }
                Iterator<ObjectInfo> sources = listing.iterator();
                boolean more = sources.hasNext();
                OrderedPipeline.join(notCommitted);
                step(CommitStep.STARTED, 0);
                while (more) {
                    ObjectInfo source = sources.next();
                    more = sources.hasNext();
                    String relative = temporary.relativeKey(source.key()).orElseThrow();
                    if (relative.equals(settings.markerName())) {
                        throw new CommitConflictException(temporary.resolve(relative), "the temporary location holds an"
                                + " object named like the commit marker; it would be taken for a marker");
                    }
                    Location target = finalLocation.resolve(relative);
                    copies.submit(() -> copyOne(source, relative, target));
                }
                copies.drain();
                step(CommitStep.BEFORE_MARKER, 0);
                header = writeMarker(manifest, settings.marker(finalLocation), PutMode.CREATE, commitTime);
            }
            step(CommitStep.MARKER_WRITTEN, 0);
            List<String> failures = deleteTemporary();
            step(CommitStep.FINISHED, 0);
            return new CommitResult(finalLocation, header, copied.get(), alreadyInPlace.get(), failures,
                    Duration.between(start, options.clock().instant()));
        }

        private ManifestEntry copyOne(ObjectInfo source, String relative, Location target) {
            Location from = temporary.sameBucket(source.key());
            ObjectInfo result;
            try {
                // Pinned to the listed version: a source replaced after the listing fails the copy.
                result = store.copy(from, target, CopyOptions.pinnedTo(source, PutMode.CREATE));
                // The result is what the service reported for the target, so this check can fail.
                if (result.size() != source.size() || result.sameContentAs(source).equals(Optional.of(false))) {
                    throw new StoreException(ErrorKind.CORRUPT, "copy", target, "the copy does not match its source "
                            + from + " (source " + source + ", copy " + result + ")");
                }
                copied.incrementAndGet();
            } catch (PreconditionFailedException exists) {
                ObjectInfo there = store.stat(target).orElseThrow(() -> new StoreException(ErrorKind.CONFLICT, "copy", target,
                        "the create-only copy was refused, yet no object is there", exists));
                if (!ContentComparison.same(store, from, source, target, there)) {
                    throw new CommitConflictException(target, "already holds a different object (another writer's, or"
                            + " left by an earlier checkpoint); refusing to overwrite it", exists);
                }
                alreadyInPlace.incrementAndGet();
                result = there;
            }
            step(CommitStep.OBJECT_COPIED, copied.get() + alreadyInPlace.get());
            return ManifestEntry.of(relative, result.withKey(target.key()));
        }
    }
}
