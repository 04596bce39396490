package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestWriter;
import io.atomiccheckpoint.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The reference design's {@code CommitFileTemporaryPath}: writers stage into the final location itself, and
 * the commit only writes the marker, fenced by the attempt lease like every strategy's. The cheapest commit (no
 * copies), at a price: readers must ignore the location until the marker appears, a crashed writer leaves
 * partial objects there until the next {@code create()} removes them, and, since all attempts share the one
 * location, a stale writer that goes on staging after a newer attempt started can still add objects to it.
 * Such an object is not in the marker's manifest: {@code validateDeep} reports it as unexpected, and readers that
 * read what the manifest lists never see it. Use {@link PrefixCopyCommit} when stale writers are possible.
 */
public final class CommitInPlace extends StoreTemporaryPathFactory {
    /** The name recorded in markers. */
    public static final String NAME = "CommitInPlace";

    public CommitInPlace(Store store) {
        this(store, CommitSettings.defaults());
    }

    public CommitInPlace(Store store, CommitSettings settings) {
        super(store, settings);
    }

    @Override
    public String strategyName() {
        return NAME;
    }

    @Override
    public void validate(Location temporary) throws ValidationError {
        checkFinalShape(temporary);
    }

    /** Resumes whichever attempt holds the lease of {@code temporary} (the final location itself). */
    @Override
    public TemporaryPath fromTemporary(Location temporary, TemporaryPathOptions options) throws ValidationError {
        checkFinalShape(temporary);
        checkOptions(temporary, options);
        return new Path(this, temporary, options, true);
    }

    @Override
    public TemporaryPath fromFinal(Location finalLocation, TemporaryPathOptions options) throws ValidationError {
        checkFinalShape(finalLocation);
        checkOptions(finalLocation, options);
        return new Path(this, finalLocation, options, false);
    }

    /** One checkpoint committed in place. */
    private static final class Path extends StoreTemporaryPath {
        Path(CommitInPlace factory, Location location, TemporaryPathOptions options, boolean resumed) {
            super(NAME, factory.store, factory.settings, location, location, options, false, null, resumed);
        }

        @Override
        void createNow() {
            // Page by page, each after a lease check, pinned where the store can: the final location is where a
            // newer attempt writes, so a stopped create() must not list and delete on past a newer start.
            abortStaleUploads();
            removeLeftoversOfFinal();
            requireCurrentAttempt();
            store.removeUploadLeftovers(finalLocation);
            // A directory that held only upload files must not survive as an empty directory in the checkpoint.
            store.pruneEmptyDirectories(finalLocation);
            store.createDirectory(finalLocation, options.fileOptions().pathPermissions().orElse(null));
        }

        @Override
        CommitResult commitPrepared(Instant start, Prelude prelude, CommitFuture control) {
            String token = prelude.awaitToken();
            step(CommitStep.STARTED, 0);
            Instant commitTime = options.clock().instant();
            recordCommitTimestamp(commitTime);
            try (ManifestWriter manifest = new ManifestWriter()) {
                inventory(finalLocation, manifest);
                step(CommitStep.BEFORE_MARKER, 0);
                FinishedManifest finished = writeFencedMarker(manifest, token, commitTime, control);
                step(CommitStep.MARKER_WRITTEN, 0);
                Duration visible = Duration.between(start, options.clock().instant());
                // The objects stay where they are: only the lease beside the checkpoint goes.
                return new CommitResult(finalLocation, finished.header(), 0, finished.header().objectCount(),
                        finishAfterMarker(null, null), visible);
            }
        }
    }
}
