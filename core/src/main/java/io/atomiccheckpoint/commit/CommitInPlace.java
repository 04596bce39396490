package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.manifest.ManifestWriter;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The reference design's {@code CommitFileTemporaryPath}: the temporary location is the final location,
 * and the commit only writes the marker, create-only. The cheapest commit (no copies), at the price that
 * readers must ignore the location until the marker appears, and that a crashed writer leaves partial
 * objects in the final location until the next {@code create} removes them.
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

    @Override
    public TemporaryPath fromTemporary(Location temporary, TemporaryPathOptions options) throws ValidationError {
        return fromFinal(temporary, options);
    }

    @Override
    public TemporaryPath fromFinal(Location finalLocation, TemporaryPathOptions options) throws ValidationError {
        checkFinalShape(finalLocation);
        checkOptions(finalLocation, options);
        return new Path(this, finalLocation, options);
    }

    /** One checkpoint committed in place. */
    private static final class Path extends StoreTemporaryPath {
        Path(CommitInPlace factory, Location location, TemporaryPathOptions options) {
            super(NAME, factory.store, factory.settings, location, location, options);
        }

        @Override
        void createNow() {
            failIfCommitted();
            removeLeftovers(finalLocation, "an unfinished earlier attempt");
            store.createDirectory(finalLocation, options.fileOptions().pathPermissions().orElse(null));
        }

        @Override
        CommitResult commitNow(Instant start) {
            failIfCommitted();
            step(CommitStep.STARTED, 0);
            Instant commitTime = options.clock().instant();
            recordCommitTimestamp(commitTime);
            ManifestHeader header;
            try (ManifestWriter manifest = new ManifestWriter()) {
                inventory(finalLocation, manifest);
                step(CommitStep.BEFORE_MARKER, 0);
                header = writeMarker(manifest, settings.marker(finalLocation), PutMode.CREATE, commitTime);
            }
            step(CommitStep.MARKER_WRITTEN, 0);
            step(CommitStep.FINISHED, 0);
            return new CommitResult(finalLocation, header, 0, header.objectCount(), List.of(),
                    Duration.between(start, options.clock().instant()));
        }
    }
}
