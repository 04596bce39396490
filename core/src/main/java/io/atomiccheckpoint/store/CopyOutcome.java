package io.atomiccheckpoint.store;

import io.atomiccheckpoint.ErrorKind;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one copy of a batch came to: the target as the service reported it, or the exception the single
 * {@link Store#copy(io.atomiccheckpoint.location.Location, io.atomiccheckpoint.location.Location, CopyOptions)}
 * would have thrown ({@link PreconditionFailedException} for a refused condition, {@link ObjectNotFoundException}
 * for a missing source, a {@link StoreException} of its kind otherwise).
 */
public final class CopyOutcome {
    private final ObjectInfo result;
    private final StoreException failure;

    private CopyOutcome(ObjectInfo result, StoreException failure) {
        this.result = result;
        this.failure = failure;
    }

    public static CopyOutcome copied(ObjectInfo result) {
        return new CopyOutcome(Objects.requireNonNull(result, "result"), null);
    }

    public static CopyOutcome failed(StoreException failure) {
        return new CopyOutcome(null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The outcome of one copy made now: what {@code copy} returned, or the {@link StoreException} it threw. An
     * interrupt is thrown, not kept: the caller stops.
     */
    public static CopyOutcome of(Supplier<ObjectInfo> copy) {
        try {
            return copied(copy.get());
        } catch (StoreException e) {
            if (e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            return failed(e);
        }
    }

    /** The target as reported, or the copy's exception thrown here, so callers handle both as for one copy. */
    public ObjectInfo getOrThrow() {
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    public Optional<StoreException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return failure != null ? "failed: " + failure.getMessage() : "copied: " + result;
    }
}
