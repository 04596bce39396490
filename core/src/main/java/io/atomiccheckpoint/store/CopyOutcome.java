package io.atomiccheckpoint.store;

import io.atomiccheckpoint.ErrorKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
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

    /**
     * Screens each copy with {@code check} (a {@link StoreException} it throws becomes that copy's outcome; an
     * interrupt is thrown), sends the copies that passed together with {@code send}, and returns every outcome in
     * input order. A {@code send} that answers with another number of outcomes than copies is {@code CORRUPT}:
     * outcomes matched to the wrong copies could report a copy that never happened.
     */
    public static List<CopyOutcome> screenThenSend(List<CopyRequest> copies, Consumer<CopyRequest> check,
            Function<List<CopyRequest>, List<CopyOutcome>> send) {
        CopyOutcome[] outcomes = new CopyOutcome[copies.size()];
        List<CopyRequest> passed = new ArrayList<>(copies.size());
        for (int i = 0; i < copies.size(); i++) {
            try {
                check.accept(copies.get(i));
                passed.add(copies.get(i));
            } catch (StoreException e) {
                if (e.kind() == ErrorKind.INTERRUPTED) {
                    throw e;
                }
                outcomes[i] = failed(e);
            }
        }
        if (!passed.isEmpty()) {
            List<CopyOutcome> sent = send.apply(passed);
            if (sent.size() != passed.size()) {
                throw new StoreException(ErrorKind.CORRUPT, "copy", passed.get(0).target(), "the store answered "
                        + sent.size() + " outcomes for a batch of " + passed.size() + " copies");
            }
            for (int i = 0, j = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = sent.get(j++);
                }
            }
        }
        return Arrays.asList(outcomes);
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
