package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;
import java.io.InputStream;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Base for wrappers that add a cross-cutting concern around another store (auditing, fault injection,
 * throttling, metrics): every call goes to {@link #beforeCall(String, Location)} and then to the wrapped
 * store. Subclasses override the hook, or single methods, and nothing else.
 */
public abstract class ForwardingObjectStore implements ObjectStore {
    private final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** The wrapped store. */
    protected ObjectStore delegate() {
        return delegate;
    }

    /**
     * Called before each operation that addresses the store, with the operation's name ({@code list},
     * {@code stat}, {@code read}, {@code write}, {@code copy-source}, {@code copy}, {@code delete}) and the
     * location; may throw to fail the call.
     */
    protected abstract void beforeCall(String operation, Location location);

    @Override
    public ListPage listPage(Location prefix, boolean delimited, String pageToken, int pageSize) {
        beforeCall("list", prefix);
        return delegate.listPage(prefix, delimited, pageToken, pageSize);
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        beforeCall("stat", location);
        return delegate.stat(location);
    }

    @Override
    public InputStream read(Location location) {
        beforeCall("read", location);
        return delegate.read(location);
    }

    @Override
    public ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
        beforeCall("write", location);
        return delegate.write(location, data, length, mode);
    }

    @Override
    public ObjectInfo copy(Location source, Location target, WriteMode mode) {
        beforeCall("copy-source", source);
        beforeCall("copy", target);
        return delegate.copy(source, target, mode);
    }

    @Override
    public ObjectInfo copy(Location source, ObjectInfo sourceInfo, Location target, WriteMode mode) {
        beforeCall("copy-source", source);
        beforeCall("copy", target);
        return delegate.copy(source, sourceInfo, target, mode);
    }

    @Override
    public void delete(Location location) {
        beforeCall("delete", location);
        delegate.delete(location);
    }

    @Override
    public List<DeleteResult> deleteBatch(List<Location> locations) {
        for (Location location : locations) {
            beforeCall("delete", location);
        }
        return delegate.deleteBatch(locations);
    }

    @Override
    public int maxDeleteBatchSize() {
        return delegate.maxDeleteBatchSize();
    }

    @Override
    public void createDirectory(Location location, Set<PosixFilePermission> permissions) {
        beforeCall("write", location);
        delegate.createDirectory(location, permissions);
    }

    @Override
    public void pruneEmptyDirectories(Location location) {
        beforeCall("delete", location);
        delegate.pruneEmptyDirectories(location);
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
