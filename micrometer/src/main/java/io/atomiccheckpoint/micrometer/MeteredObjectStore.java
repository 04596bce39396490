package io.atomiccheckpoint.micrometer;

import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Counts each call of the wrapped store once ({@code list}, {@code stat}, {@code get}, {@code put}, {@code copy},
 * {@code copy-batch}, {@code delete}; a batch delete or a batch of copies is one request) and each failure by operation and error kind;
 * a batch adds one failure per object it could not delete or copy. Failures of reading a returned stream are not counted.
 */
final class MeteredObjectStore extends ForwardingObjectStore {
    private final MeterRegistry registry;
    private final Tags tags;

    MeteredObjectStore(ObjectStore delegate, MeterRegistry registry, Tags tags) {
        super(delegate);
        this.registry = registry;
        this.tags = tags;
    }

    @Override
    protected void beforeCall(String operation, Location location) {
        // Every method is overridden below so that a call is counted once, not once per location.
    }

    private <T> T measure(String operation, Supplier<T> call) {
        Counter.builder(CheckpointMetrics.REQUESTS).tags(tags).tag("operation", operation)
                .description("requests sent to the store").register(registry).increment();
        try {
            return call.get();
        } catch (AtomicCheckpointException e) {
            failed(operation, e.kind());
            throw e;
        } catch (RuntimeException e) {
            failed(operation, ErrorKind.UNKNOWN);
            throw e;
        }
    }

    private void failed(String operation, ErrorKind kind) {
        Counter.builder(CheckpointMetrics.FAILURES).tags(tags).tag("operation", operation)
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .description("failed store requests by error kind").register(registry).increment();
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        return measure("list", () -> delegate().list(prefix, delimited, pageToken, pageSize));
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        return measure("stat", () -> delegate().stat(location));
    }

    @Override
    public InputStream get(Location location, GetOptions options) {
        return measure("get", () -> delegate().get(location, options));
    }

    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        return measure("put", () -> delegate().put(location, payload, mode));
    }

    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        return measure("copy", () -> delegate().copy(source, target, options));
    }

    /**
     * A batch of copies (GCS) is one {@code copy-batch} request; each copy that failed counts as a
     * {@code copy-batch} failure of its kind.
     */
    @Override
    public List<CopyOutcome> copyBatch(List<CopyRequest> copies) {
        List<CopyOutcome> outcomes = measure("copy-batch", () -> super.copyBatch(copies));
        outcomes.forEach(o -> o.failure().ifPresent(e -> failed("copy-batch", e.kind())));
        return outcomes;
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        List<DeleteResult> results = measure("delete", () -> delegate().delete(locations));
        results.stream().filter(r -> !r.succeeded()).forEach(r -> failed("delete", r.kind()));
        return results;
    }

    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        List<DeleteResult> results = measure("delete", () -> super.deleteIfUnchanged(objects));
        results.stream().filter(r -> !r.succeeded()).forEach(r -> failed("delete", r.kind()));
        return results;
    }
}
