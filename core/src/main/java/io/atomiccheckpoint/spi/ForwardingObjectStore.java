package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Base for wrappers that add a cross-cutting concern around another store (auditing, fault injection,
 * throttling, metrics): every call goes to {@link #beforeCall(String, Location)} and then to the wrapped store.
 * Subclasses override the hook, or single methods. Because the SPI has no default methods, a wrapper cannot
 * forget to forward one.
 *
 * <p>The {@link SupportsDirectories} ability of the wrapped store is reached through {@link #delegate()}, not
 * through the wrapper: the facade unwraps to find it, and those calls do not pass the hook.
 * {@link SupportsConditionalDelete} is forwarded through the hook (as {@code delete}), since it is a store
 * request a wrapper may want to hold or fail; the facade asks the innermost store whether it has it.
 * {@link SupportsBatchCopy} is forwarded through the hook too (each copy as {@code copy-source} and {@code copy}),
 * unless the wrapper overrides {@code copy} alone: then it reports batches of 1 and sees every copy singly.
 */
public abstract class ForwardingObjectStore implements ObjectStore, SupportsConditionalDelete, SupportsBatchCopy {
    private final ObjectStore delegate;
    private final boolean interceptsSingleCopies;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
        // A wrapper intercepts single copies when its copy() is declared below its copyBatch(): then a batch would
        // bypass that copy(). Declared in the same class (or copy() not overridden at all), batches are its own.
        Class<?> copyAt = declaring("copy", Location.class, Location.class, CopyOptions.class);
        Class<?> batchAt = declaring("copyBatch", List.class);
        this.interceptsSingleCopies = copyAt != batchAt && batchAt.isAssignableFrom(copyAt);
    }

    /** The class in this wrapper's hierarchy that declares the public method in effect. */
    private Class<?> declaring(String method, Class<?>... parameters) {
        try {
            return getClass().getMethod(method, parameters).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("ForwardingObjectStore lost its own " + method, e);
        }
    }

    /** The wrapped store. */
    public ObjectStore delegate() {
        return delegate;
    }

    /**
     * Called before each call that addresses the store, with the operation's name ({@code list}, {@code stat},
     * {@code get}, {@code put}, {@code copy-source}, {@code copy}, {@code delete}) and the location; may throw to
     * fail the call.
     */
    protected abstract void beforeCall(String operation, Location location);

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        beforeCall("list", prefix);
        return delegate.list(prefix, delimited, pageToken, pageSize);
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        beforeCall("stat", location);
        return delegate.stat(location);
    }

    @Override
    public InputStream get(Location location, GetOptions options) {
        beforeCall("get", location);
        return delegate.get(location, options);
    }

    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        beforeCall("put", location);
        return delegate.put(location, payload, mode);
    }

    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        beforeCall("copy-source", source);
        beforeCall("copy", target);
        return delegate.copy(source, target, options);
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        for (Location location : locations) {
            beforeCall("delete", location);
        }
        return delegate.delete(locations);
    }

    @Override
    public boolean enforcesPinnedDeletes(Location location) {
        return delegate instanceof SupportsConditionalDelete conditional && conditional.enforcesPinnedDeletes(location);
    }

    /**
     * Forwards to the wrapped store's {@link SupportsConditionalDelete}, after the hook; a wrapped store without
     * it is refused as {@link ErrorKind#NOT_SUPPORTED}, never turned into an unconditional delete.
     */
    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        for (ObjectVersion object : objects) {
            beforeCall("delete", object.location());
        }
        if (!(delegate instanceof SupportsConditionalDelete conditional)) {
            throw new StoreException(ErrorKind.NOT_SUPPORTED, "delete", objects.isEmpty() ? null
                    : objects.get(0).location(), "the wrapped store cannot pin a delete to a version");
        }
        return conditional.deleteIfUnchanged(objects);
    }

    /**
     * The wrapped store's batch size; 1 if it has no batched copies, or if this wrapper's {@link #copy} is declared
     * below its {@link #copyBatch} (overridden without it, in this class or a subclass): such a wrapper would not
     * see the copies of a batch.
     */
    @Override
    public int maxCopyBatch(Location location) {
        if (interceptsSingleCopies || !(delegate instanceof SupportsBatchCopy batch)) {
            return 1;
        }
        return batch.maxCopyBatch(location);
    }

    /**
     * Passes each copy through the hook ({@code copy-source}, {@code copy}); a copy the hook fails gets that failure
     * as its outcome and is not sent. The rest go to the wrapped store's batch, or one by one through
     * {@link #copy} if it has none.
     */
    @Override
    public List<CopyOutcome> copyBatch(List<CopyRequest> copies) {
        if (interceptsSingleCopies || !(delegate instanceof SupportsBatchCopy batch)) {
            List<CopyOutcome> outcomes = new java.util.ArrayList<>(copies.size());
            for (CopyRequest c : copies) {
                outcomes.add(CopyOutcome.of(() -> copy(c.source(), c.target(), c.options())));
            }
            return outcomes;
        }
        return CopyOutcome.screenThenSend(copies, c -> {
            beforeCall("copy-source", c.source());
            beforeCall("copy", c.target());
        }, batch::copyBatch);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + delegate + "}";
    }
}
