package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.location.Scheme;
import java.util.Objects;

/**
 * What a store can do, declared once so that the {@link io.atomiccheckpoint.store.Store} facade checks
 * requests before they reach it and refuses the ones it cannot honour instead of silently weakening them.
 *
 * @param scheme the locations it serves
 * @param maxDeleteBatchSize the most objects one {@link ObjectStore#delete} call takes (S3 1 000, Azure 256,
 *     GCS 100, local stores any)
 * @param maxListPageSize the most entries one listing page may ask for
 * @param conditionalUpdate whether {@link io.atomiccheckpoint.store.PutMode#update} is enforced by the service
 * @param pinnedCopy whether a copy's {@link io.atomiccheckpoint.store.CopyOptions#sourceVersion()} is enforced
 * @param versionedGet whether {@link io.atomiccheckpoint.store.GetOptions#expectedVersion()} is enforced
 */
public record StoreCapabilities(Scheme scheme, int maxDeleteBatchSize, int maxListPageSize, boolean conditionalUpdate,
        boolean pinnedCopy, boolean versionedGet) {
    public StoreCapabilities {
        Objects.requireNonNull(scheme, "scheme");
        if (maxDeleteBatchSize < 1) {
            throw new IllegalArgumentException("max delete batch size must be positive, was " + maxDeleteBatchSize);
        }
        if (maxListPageSize < 1) {
            throw new IllegalArgumentException("max list page size must be positive, was " + maxListPageSize);
        }
    }

    /** A store that enforces every condition, with the given limits. */
    public static StoreCapabilities full(Scheme scheme, int maxDeleteBatchSize, int maxListPageSize) {
        return new StoreCapabilities(scheme, maxDeleteBatchSize, maxListPageSize, true, true, true);
    }
}
