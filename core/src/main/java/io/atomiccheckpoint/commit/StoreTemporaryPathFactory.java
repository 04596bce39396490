package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.SnapshotType;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.atomicity.ValidationError.Rule;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;

/** The checks every strategy's factory shares: final-location shape, supported options, marker validation. */
abstract class StoreTemporaryPathFactory implements TemporaryPathFactory {
    final Store store;
    final CommitSettings settings;
    final CommitMarkers markers;

    StoreTemporaryPathFactory(Store store, CommitSettings settings) {
        this.store = store;
        this.settings = settings;
        this.markers = new CommitMarkers(store, settings);
    }

    /** The store the factory's temporary paths use. */
    public Store store() {
        return store;
    }

    /** The settings the factory's temporary paths use. */
    public CommitSettings settings() {
        return settings;
    }

    /** A checkpoint needs a name of its own that cannot be mistaken for a temporary location. */
    void checkFinalShape(Location finalLocation) throws ValidationError {
        if (finalLocation.isRoot()) {
            throw new ValidationError(finalLocation, Rule.ROOT_LOCATION,
                    "a checkpoint cannot be a bucket or filesystem root; name a directory below it");
        }
        if (settings.containsTemporarySuffix(finalLocation.name())) {
            throw new ValidationError(finalLocation, Rule.FINAL_NAMED_LIKE_TEMPORARY, "the name contains the temporary"
                    + " suffix '" + settings.temporarySuffix() + "', so it would be taken for an unfinished checkpoint"
                    + " (Orbax looks for the suffix anywhere in a name, and its clean-up deletes such directories)");
        }
    }

    /** A sibling temporary location must carry the suffix after a final name. */
    void checkTemporaryName(Location temporary) throws ValidationError {
        if (temporary.isRoot() || !settings.isOwnTemporaryName(temporary.name())) {
            throw new ValidationError(temporary, Rule.NOT_A_TEMPORARY_NAME, "a temporary location's name must end with '"
                    + settings.temporarySuffix() + "' after the final name"
                    + (settings.isTemporaryName(temporary.name()) ? " (this is a temporary of an Orbax release before"
                            + " 0.11.20, not an attempt of this library)" : ""));
        }
    }

    /** The final location of a sibling temporary location, after checking both names and the options. */
    Location finalOfSiblingTemporary(Location temporary, TemporaryPathOptions options) throws ValidationError {
        validate(temporary);
        checkOptions(temporary, options);
        Location finalLocation = settings.finalFor(temporary);
        checkFinalShape(finalLocation);
        return finalLocation;
    }

    void checkOptions(Location location, TemporaryPathOptions options) throws ValidationError {
        if (options.snapshotType() != SnapshotType.NONE) {
            throw new ValidationError(location, Rule.UNSUPPORTED_OPTION, "snapshot type " + options.snapshotType()
                    + " is not supported by " + strategyName() + " (supported: [NONE])");
        }
    }

    @Override
    public void validateFinal(Location finalLocation) throws ValidationError {
        checkFinalShape(finalLocation);
        markers.validate(finalLocation);
    }

    @Override
    public DeepValidationReport validateDeep(Location finalLocation) throws ValidationError {
        checkFinalShape(finalLocation);
        return new DeepValidator(store, settings).validate(finalLocation);
    }

    @Override
    public String toString() {
        return strategyName() + "{" + store + ", " + settings + "}";
    }
}
