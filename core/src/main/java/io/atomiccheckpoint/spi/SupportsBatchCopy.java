package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import java.util.List;

/**
 * An opt-in ability: several server-side copies sent as one request (GCS: a JSON batch of up to 100 rewrites).
 * Each copy keeps every condition of a single {@link ObjectStore#copy} (the create-only destination and the pinned
 * source version travel with each sub-request) and gets its own outcome, so a caller treats the outcomes exactly
 * as it would treat single copies. Stores without it copy one object per request; {@code Store.copyBatch} then
 * sends single copies.
 *
 * <p>{@link ForwardingObjectStore} forwards it through its hook, unless the wrapper overrides
 * {@link ObjectStore#copy} without overriding {@link #copyBatch}: such a wrapper intercepts single copies, so it
 * reports a batch size of 1 and keeps seeing every copy.
 */
public interface SupportsBatchCopy {
    /** The most copies one {@link #copyBatch} call takes for targets at {@code location}; 1 turns batching off. */
    int maxCopyBatch(Location location);

    /**
     * Copies each request's source to its target with that request's options, in as few requests as the service
     * allows, and returns one outcome per request in input order. One copy's failure is its outcome, never thrown;
     * a batch request that fails as a whole is repeated, and then its copies are sent one by one, so every copy
     * gets the outcome that is really its own. Throws only when interrupted (the copies not yet made are then
     * unknown to the caller, as after an interrupted single copy).
     */
    List<CopyOutcome> copyBatch(List<CopyRequest> copies);
}
