package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.SupportsBatchCopy;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import java.util.List;

/**
 * Counts the store operations a finalize asks for, at the SPI: one per call, a batch delete counting once
 * (it is one request on every cloud). The wire-level count, which also sees what a store does inside one
 * operation, comes from the store's HTTP hook instead.
 */
final class CountingObjectStore extends ForwardingObjectStore {
    private final RequestCounts counts;

    CountingObjectStore(ObjectStore delegate, RequestCounts counts) {
        super(delegate);
        this.counts = counts;
    }

    @Override
    protected void beforeCall(String operation, Location location) {
        if (!operation.equals("copy-source")) {
            counts.add(operation);
        }
    }

    /** A batch of copies is one request ({@code copy-batch}), as a batch delete is. */
    @Override
    public List<CopyOutcome> copyBatch(List<CopyRequest> copies) {
        counts.add("copy-batch");
        return ((SupportsBatchCopy) delegate()).copyBatch(copies);
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        counts.add("delete-batch");
        return delegate().delete(locations);
    }

    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        counts.add("delete-batch");
        return super.deleteIfUnchanged(objects);
    }
}
