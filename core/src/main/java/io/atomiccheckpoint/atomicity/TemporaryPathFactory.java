package io.atomiccheckpoint.atomicity;

import io.atomiccheckpoint.location.Location;

/**
 * The class-level half of the reference design's {@code TemporaryPath}: {@code validate},
 * {@code validate_final}, {@code from_temporary} and {@code from_final}, which Java cannot declare as
 * abstract statics. One factory per strategy and store.
 */
public interface TemporaryPathFactory {
    /** The strategy's name, recorded in the markers it writes. */
    String strategyName();

    /**
     * Checks that {@code temporary} is a valid temporary location for this strategy.
     *
     * @throws ValidationError naming the location and the broken rule
     */
    void validate(Location temporary) throws ValidationError;

    /**
     * Checks that {@code finalLocation} holds a finalized checkpoint: its commit marker exists, is within the
     * size limit, is well formed, and names only objects inside the checkpoint. Reads the marker, not the
     * objects; see {@link #validateDeep}.
     *
     * @throws ValidationError naming the location and the broken rule
     */
    void validateFinal(Location finalLocation) throws ValidationError;

    /**
     * Checks every object the marker lists against the store, reporting missing, changed and unexpected
     * objects, with memory independent of the number of objects.
     *
     * @throws ValidationError if the marker itself is invalid (as {@link #validateFinal})
     */
    DeepValidationReport validateDeep(Location finalLocation) throws ValidationError;

    /**
     * The temporary path for an existing temporary location, for example to retry a commit after a crash.
     * No I/O.
     *
     * @throws ValidationError if the location cannot be a temporary location of this strategy
     */
    TemporaryPath fromTemporary(Location temporary, TemporaryPathOptions options) throws ValidationError;

    /**
     * The temporary path for a final location. Deterministic and free of I/O, so every host of a multi-host
     * job gets the same temporary location.
     *
     * @throws ValidationError if the location cannot hold a checkpoint, or an option is unsupported
     */
    TemporaryPath fromFinal(Location finalLocation, TemporaryPathOptions options) throws ValidationError;

    /** {@link #fromFinal(Location, TemporaryPathOptions)} with default options. */
    default TemporaryPath fromFinal(Location finalLocation) throws ValidationError {
        return fromFinal(finalLocation, TemporaryPathOptions.defaults());
    }

    /** {@link #fromTemporary(Location, TemporaryPathOptions)} with default options. */
    default TemporaryPath fromTemporary(Location temporary) throws ValidationError {
        return fromTemporary(temporary, TemporaryPathOptions.defaults());
    }
}
