package io.atomiccheckpoint.store;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.ObjectStoreProvider;
import io.atomiccheckpoint.spi.StoreCapabilities;
import io.atomiccheckpoint.spi.SupportsBatchCopy;
import io.atomiccheckpoint.spi.SupportsConditionalDelete;
import io.atomiccheckpoint.spi.SupportsDirectories;
import io.atomiccheckpoint.spi.SupportsPendingUploads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A store as the library and its users call it: the counterpart of {@code object_store}'s
 * {@code ObjectStoreExt}, wrapped once around any {@link ObjectStore} implementation. Everything that must not
 * depend on each store being careful happens here, once:
 * <ul>
 *   <li>every location is checked against the store's scheme, objects are never addressed at a bucket root,
 *       copies stay in one bucket, page and batch sizes stay within the store's limits;</li>
 *   <li>conditions the store does not enforce ({@link StoreCapabilities}) are refused with
 *       {@link ErrorKind#NOT_SUPPORTED} before any request;</li>
 *   <li>results are checked: a listing entry outside its prefix or a result for another key is
 *       {@link ErrorKind#CORRUPT};</li>
 *   <li>failures reach the caller as {@link AtomicCheckpointException}s with a kind, whatever the store threw;
 *       an interrupt keeps the thread's interrupt status;</li>
 *   <li>listings are lazy streams holding one page, batch deletes are split to the store's limit, and bytes,
 *       streams and files are accepted for writes.</li>
 * </ul>
 * Strategies, staging, {@code HostBarrier} and {@code CheckpointDirectory} talk only to this class.
 */
public final class Store implements AutoCloseable {
    private final ObjectStore spi;
    private final StoreCapabilities capabilities;

    private Store(ObjectStore spi) {
        this.spi = Objects.requireNonNull(spi, "store");
        this.capabilities = Objects.requireNonNull(spi.capabilities(), "capabilities");
    }

    /** Wraps an implementation; closing the facade closes it. */
    public static Store of(ObjectStore spi) {
        return new Store(spi);
    }

    /**
     * Opens the store for {@code location}'s scheme through the {@link ObjectStoreProvider} on the classpath.
     *
     * @throws AtomicCheckpointException of kind {@link ErrorKind#NOT_SUPPORTED} naming the artifact to add when
     *     no provider serves the scheme, or the classes when several compete
     */
    public static Store open(Location location, StoreConfig config) {
        return new Store(provider(location.scheme()).open(location, Objects.requireNonNull(config, "config")));
    }

    /** The single provider for {@code scheme} on the classpath. */
    public static ObjectStoreProvider provider(Scheme scheme) {
        List<ObjectStoreProvider> found = new ArrayList<>();
        for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class, Store.class.getClassLoader())) {
            if (p.scheme() == scheme) {
                found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new AtomicCheckpointException(ErrorKind.NOT_SUPPORTED, "no ObjectStore for " + scheme.uriScheme()
                    + ":// locations on the classpath; add io.atomiccheckpoint:atomic-checkpoint-" + artifact(scheme));
        }
        if (found.size() > 1) {
            List<String> names = new ArrayList<>();
            found.forEach(p -> names.add(p.getClass().getName()));
            throw new AtomicCheckpointException(ErrorKind.NOT_SUPPORTED, "several ObjectStore providers for "
                    + scheme.uriScheme() + "://: " + names);
        }
        return found.get(0);
    }

    private static String artifact(Scheme scheme) {
        switch (scheme) {
            case GCS:
                return "gcs";
            case AZURE:
                return "azure";
            case S3:
                return "s3";
            default:
                return "core";
        }
    }

    /** The implementation behind the facade, for its store-specific methods (for example an SDK client). */
    public ObjectStore spi() {
        return spi;
    }

    /** The implementation, or one it wraps, of the given type, if any. */
    public <T> Optional<T> unwrap(Class<T> type) {
        ObjectStore s = spi;
        while (true) {
            if (type.isInstance(s)) {
                return Optional.of(type.cast(s));
            }
            if (!(s instanceof ForwardingObjectStore)) {
                return Optional.empty();
            }
            s = ((ForwardingObjectStore) s).delegate();
        }
    }

    public StoreCapabilities capabilities() {
        return capabilities;
    }

    /** The most objects one delete request takes on this store. */
    public int maxDeleteBatchSize() {
        return capabilities.maxDeleteBatchSize();
    }

    // ---- listing

    /** One page of a listing; see {@link ObjectStore#list}. {@code pageSize} is capped at the store's limit. */
    public ListPage listPage(Location prefix, boolean delimited, String pageToken, int pageSize) {
        checkScheme("list", prefix);
        if (pageSize < 1) {
            throw invalid("list", prefix, "page size must be positive, was " + pageSize);
        }
        int size = Math.min(pageSize, capabilities.maxListPageSize());
        ListPage page = call("list", prefix, () -> spi.list(prefix, delimited, pageToken, size));
        String p = prefix.prefix();
        ObjectInfo placeholder = null;
        for (ObjectInfo o : page.objects()) {
            if (o.key().equals(p) && !p.isEmpty()) {
                if (o.size() != 0) {
                    // Not a folder placeholder: data under a name no relative path can address.
                    throw new StoreException(ErrorKind.CORRUPT, "list", prefix, "an object of " + o.size()
                            + " bytes is named like this directory itself (key ending in '/'); no checkpoint can"
                            + " hold it, so it is refused rather than skipped: remove or rename it");
                }
                placeholder = o;
                continue;
            }
            if (!o.key().startsWith(p) || o.key().length() == p.length()) {
                throw new StoreException(ErrorKind.CORRUPT, "list", prefix, "the store listed key " + o.key()
                        + ", which is not below the prefix");
            }
        }
        for (String d : page.directories()) {
            if (!d.startsWith(p) || d.length() == p.length()) {
                throw new StoreException(ErrorKind.CORRUPT, "list", prefix, "the store listed directory " + d
                        + ", which is not below the prefix");
            }
        }
        if (placeholder == null) {
            return page;
        }
        ObjectInfo skipped = placeholder;
        return new ListPage(page.objects().stream().filter(o -> o != skipped).toList(), page.directories(),
                page.nextPageToken().orElse(null), placeholder);
    }

    /**
     * Every object below {@code prefix}, at any depth, fetched page by page as the stream is consumed; at most
     * one page is held in memory. Close the stream (try-with-resources) if you stop early.
     */
    public Stream<ObjectInfo> list(Location prefix) {
        return list(prefix, Math.min(1000, capabilities.maxListPageSize()));
    }

    /** As {@link #list(Location)} with an explicit page size. */
    public Stream<ObjectInfo> list(Location prefix, int pageSize) {
        return PagedListing.objects(this, prefix, pageSize, false);
    }

    /**
     * As {@link #list(Location, int)}, plus the directory's own placeholder object ({@code prefix/}, zero bytes;
     * see {@link ListPage#placeholder()}) where there is one: for deleting a whole prefix, which must not leave a
     * placeholder behind to show up as an empty directory in the parent's listing.
     */
    public Stream<ObjectInfo> listWithPlaceholder(Location prefix, int pageSize) {
        return PagedListing.objects(this, prefix, pageSize, true);
    }

    /**
     * The "directories" directly below {@code prefix} (common prefixes, as locations), fetched page by page. Each
     * appears once even on stores that repeat common prefixes across pages.
     */
    public Stream<Location> listDirectories(Location prefix) {
        return PagedListing.directories(this, prefix, Math.min(1000, capabilities.maxListPageSize()));
    }

    // ---- single objects

    /** What the store reports about the object now, or empty if there is none. */
    public Optional<ObjectInfo> stat(Location location) {
        checkObject("stat", location);
        Optional<ObjectInfo> info = call("stat", location, () -> spi.stat(location));
        info.ifPresent(i -> checkKey("stat", location, i));
        return info;
    }

    /** Opens the whole object for reading; the caller closes the stream. */
    public InputStream read(Location location) {
        return read(location, GetOptions.whole());
    }

    /** Opens the object, a range of it, or a pinned version of it, for reading. */
    public InputStream read(Location location, GetOptions options) {
        checkObject("get", location);
        Objects.requireNonNull(options, "options");
        if (options.expectedVersion() != null && !capabilities.versionedGet()) {
            throw notSupported("get", location, "this store cannot read a pinned version");
        }
        return call("get", location, () -> spi.get(location, options));
    }

    /** The whole object's bytes; for small objects such as markers and signals. */
    public byte[] readBytes(Location location) {
        try (InputStream in = read(location)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw fromIo("get", location, e);
        }
    }

    /** Writes a payload; see {@link ObjectStore#put}. */
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        checkObject("put", location);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(mode, "mode");
        if (mode instanceof PutMode.Update && !capabilities.conditionalUpdate()) {
            throw notSupported("put", location, "this store cannot enforce a conditional update");
        }
        ObjectInfo result = call("put", location, () -> spi.put(location, payload, mode));
        return checkKey("put", location, result);
    }

    /** Writes a byte array. */
    public ObjectInfo write(Location location, byte[] data, PutMode mode) {
        return put(location, Payload.of(data), mode);
    }

    /** Writes exactly {@code length} bytes from a stream. */
    public ObjectInfo write(Location location, InputStream data, long length, PutMode mode) {
        return put(location, Payload.of(data, length), mode);
    }

    /** Uploads a local regular file (never through a symbolic link). */
    public ObjectInfo writeFile(Location location, Path file, PutMode mode) {
        return put(location, Payload.ofFile(file), mode);
    }

    /** Copies inside one bucket; see {@link ObjectStore#copy} and {@link CopyOptions}. */
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        checkCopy(source, target, options);
        ObjectInfo result = call("copy", target, () -> spi.copy(source, target, options));
        return checkKey("copy", target, result);
    }

    /** An unpinned copy. */
    public ObjectInfo copy(Location source, Location target, PutMode mode) {
        return copy(source, target, CopyOptions.of(mode));
    }

    /**
     * The most copies {@link #copyBatch} sends in one request for targets at {@code location}: the store's batch
     * size where it has batched copies ({@link SupportsBatchCopy}: GCS), else 1.
     */
    public int maxCopyBatch(Location location) {
        return spi instanceof SupportsBatchCopy batch ? Math.max(1, batch.maxCopyBatch(location)) : 1;
    }

    /**
     * Several copies, each with its own conditions and outcome (in input order), in requests of at most
     * {@link #maxCopyBatch} copies; one by one through {@link #copy(Location, Location, CopyOptions)} on stores
     * without batched copies. A copy's failure is its outcome; an interrupt is thrown, and so is a store answering
     * with the wrong number of outcomes ({@code CORRUPT}).
     */
    public List<CopyOutcome> copyBatch(List<CopyRequest> copies) {
        List<CopyOutcome> outcomes = new ArrayList<>(copies.size());
        if (copies.isEmpty()) {
            return outcomes;
        }
        int max = maxCopyBatch(copies.get(0).target());
        if (max == 1) {
            for (CopyRequest c : copies) {
                outcomes.add(CopyOutcome.of(() -> copy(c.source(), c.target(), c.options())));
            }
            return outcomes;
        }
        SupportsBatchCopy batch = (SupportsBatchCopy) spi;
        for (int from = 0; from < copies.size(); from += max) {
            List<CopyRequest> chunk = copies.subList(from, Math.min(copies.size(), from + max));
            Location head = chunk.get(0).target();
            List<CopyOutcome> sent = CopyOutcome.screenThenSend(chunk, c -> checkCopy(c.source(), c.target(),
                    c.options()), valid -> call("copy", head, () -> batch.copyBatch(valid)));
            for (int i = 0; i < chunk.size(); i++) {
                CopyOutcome o = sent.get(i);
                outcomes.add(o.failure().isPresent() ? o : copiedChecked(chunk.get(i).target(), o.getOrThrow()));
            }
        }
        return outcomes;
    }

    private CopyOutcome copiedChecked(Location target, ObjectInfo result) {
        try {
            return CopyOutcome.copied(checkKey("copy", target, result));
        } catch (StoreException e) {
            return CopyOutcome.failed(e);
        }
    }

    private void checkCopy(Location source, Location target, CopyOptions options) {
        checkObject("copy", source);
        checkObject("copy", target);
        Objects.requireNonNull(options, "options");
        if (!source.sameBucketAs(target)) {
            throw invalid("copy", target, "a copy stays in one bucket; the source is " + source);
        }
        if (options.sourceVersion() != null && !capabilities.pinnedCopy()) {
            throw notSupported("copy", target, "this store cannot pin a copy to its source's version");
        }
    }

    /** Deletes one object; deleting a missing object succeeds. */
    public void delete(Location location) {
        DeleteResult result = deleteBatch(List.of(location)).get(0);
        if (!result.succeeded()) {
            throw new StoreException(result.kind(), "delete", location, result.error().orElse("failed"));
        }
    }

    /**
     * Deletes any number of objects, in requests of at most {@link #maxDeleteBatchSize()}, reporting each one's
     * outcome in input order. Throws only if a whole request failed.
     */
    public List<DeleteResult> deleteBatch(List<Location> locations) {
        for (Location location : locations) {
            checkObject("delete", location);
        }
        int max = capabilities.maxDeleteBatchSize();
        if (locations.size() <= max) {
            return checkResults(locations, call("delete", locations.isEmpty() ? null : locations.get(0),
                    () -> locations.isEmpty() ? List.of() : spi.delete(List.copyOf(locations))));
        }
        List<DeleteResult> all = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i += max) {
            List<Location> part = List.copyOf(locations.subList(i, Math.min(locations.size(), i + max)));
            all.addAll(checkResults(part, call("delete", part.get(0), () -> spi.delete(part))));
        }
        return all;
    }

    /**
     * Whether the store can pin a delete at {@code location} to the listed version: it has
     * {@link SupportsConditionalDelete} and the service enforces it there.
     */
    public boolean supportsConditionalDelete(Location location) {
        checkScheme("delete", location);
        return spi instanceof SupportsConditionalDelete conditional && call("delete", location,
                () -> conditional.enforcesPinnedDeletes(location));
    }

    /**
     * Deletes each object only while it is still the listed version, in requests of at most
     * {@link #maxDeleteBatchSize()}, reporting each one's outcome in input order: an object replaced since it was
     * listed is kept and reported as failed with {@link ErrorKind#PRECONDITION_FAILED}; a missing one counts as
     * deleted. Throws only if a whole request failed.
     *
     * @throws StoreException of kind {@link ErrorKind#NOT_SUPPORTED} if the store cannot pin a delete there
     *     ({@link #supportsConditionalDelete(Location)}); the condition is never dropped
     * @throws StoreException if telling a refused delete of a missing object from a kept one fails
     */
    public List<DeleteResult> deleteBatchIfUnchanged(List<ObjectVersion> objects) {
        List<Location> locations = new ArrayList<>(objects.size());
        for (ObjectVersion object : objects) {
            checkObject("delete", object.location());
            locations.add(object.location());
        }
        if (objects.isEmpty()) {
            return List.of();
        }
        if (!supportsConditionalDelete(locations.get(0)) || !(spi instanceof SupportsConditionalDelete conditional)) {
            throw notSupported("delete", locations.get(0), "this store cannot pin a delete to the listed version");
        }
        int max = capabilities.maxDeleteBatchSize();
        List<DeleteResult> all = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i += max) {
            int end = Math.min(objects.size(), i + max);
            List<ObjectVersion> part = List.copyOf(objects.subList(i, end));
            all.addAll(checkResults(locations.subList(i, end),
                    call("delete", part.get(0).location(), () -> conditional.deleteIfUnchanged(part))));
        }
        for (int i = 0; i < all.size(); i++) {
            DeleteResult r = all.get(i);
            // Some services refuse the condition of a missing object too (Azure and Azurite, S3); a missing object
            // counts as deleted for every delete, so one stat tells the two apart in this rare case.
            if (!r.succeeded() && r.kind() == ErrorKind.PRECONDITION_FAILED && stat(r.location()).isEmpty()) {
                all.set(i, DeleteResult.deleted(r.location()));
            }
        }
        return all;
    }

    private static List<DeleteResult> checkResults(List<Location> asked, List<DeleteResult> results) {
        if (results.size() != asked.size()) {
            throw new StoreException(ErrorKind.CORRUPT, "delete", asked.isEmpty() ? null : asked.get(0),
                    "the store reported " + results.size() + " outcomes for " + asked.size() + " objects");
        }
        for (int i = 0; i < asked.size(); i++) {
            if (!results.get(i).location().equals(asked.get(i))) {
                throw new StoreException(ErrorKind.CORRUPT, "delete", asked.get(i), "the store reported outcome "
                        + i + " for " + results.get(i).location());
            }
        }
        return results;
    }

    // ---- directories (local disks only)

    /** Creates the directory where the store has directories (local disks); object stores need none. */
    public void createDirectory(Location location, Set<PosixFilePermission> permissions) {
        checkScheme("create directory", location);
        unwrap(SupportsDirectories.class).ifPresent(d -> call("create directory", location, () -> {
            d.createDirectory(location, permissions);
            return null;
        }));
    }

    /** Removes empty directories left below {@code location} after its objects were deleted (local disks). */
    public void pruneEmptyDirectories(Location location) {
        checkScheme("prune", location);
        unwrap(SupportsDirectories.class).ifPresent(d -> call("prune", location, () -> {
            d.pruneEmptyDirectories(location);
            return null;
        }));
    }

    /**
     * Deletes the store's unfinished upload files below {@code location} (local disks; object stores have none,
     * their uploads are invisible until complete) and returns how many; see
     * {@link SupportsDirectories#removeUploadLeftovers} for when a caller may.
     */
    public long removeUploadLeftovers(Location location) {
        checkScheme("remove upload leftovers", location);
        return unwrap(SupportsDirectories.class)
                .map(d -> call("remove upload leftovers", location, () -> d.removeUploadLeftovers(location)))
                .orElse(0L);
    }

    /**
     * Aborts the multi-request uploads pending below {@code location} where the store has them
     * ({@link SupportsPendingUploads}; S3 multipart uploads) and returns how many; 0 for other stores.
     */
    public long abortPendingUploads(Location location) {
        checkScheme("abort pending uploads", location);
        return unwrap(SupportsPendingUploads.class)
                .map(u -> call("abort pending uploads", location, () -> u.abortPendingUploads(location)))
                .orElse(0L);
    }

    /** Whether the store has real directories (local disks). */
    public boolean hasDirectories() {
        return unwrap(SupportsDirectories.class).isPresent();
    }

    @Override
    public void close() {
        spi.close();
    }

    @Override
    public String toString() {
        return spi.toString();
    }

    // ---- checks and the error model

    private void checkScheme(String operation, Location location) {
        Objects.requireNonNull(location, "location");
        if (location.scheme() != capabilities.scheme()) {
            throw invalid(operation, location, "this store serves " + capabilities.scheme().uriScheme()
                    + ":// locations only");
        }
    }

    private void checkObject(String operation, Location location) {
        checkScheme(operation, location);
        if (location.isRoot()) {
            throw invalid(operation, location, "needs an object key, not the bucket root");
        }
    }

    private static ObjectInfo checkKey(String operation, Location location, ObjectInfo info) {
        if (info == null || !info.key().equals(location.key())) {
            throw new StoreException(ErrorKind.CORRUPT, operation, location, "the store answered for another key: "
                    + (info == null ? "nothing" : info.key()));
        }
        return info;
    }

    private static StoreException invalid(String operation, Location location, String message) {
        return new StoreException(ErrorKind.INVALID_INPUT, operation, location, message);
    }

    private static StoreException notSupported(String operation, Location location, String message) {
        return new StoreException(ErrorKind.NOT_SUPPORTED, operation, location, message);
    }

    /** A body that may throw whatever the implementation throws. */
    private interface Call<T> {
        T run();
    }

    /**
     * Runs a store call and brings whatever escapes it into the one error model: the library's own exceptions
     * pass, anything else becomes a {@link StoreException} with a kind.
     */
    private static <T> T call(String operation, Location location, Call<T> body) {
        try {
            return body.run();
        } catch (AtomicCheckpointException e) {
            throw e;
        } catch (UncheckedIOException e) {
            throw fromIo(operation, location, e.getCause());
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StoreException(ErrorKind.INTERRUPTED, operation, location, "interrupted", e);
            }
            throw new StoreException(ErrorKind.UNKNOWN, operation, location, e.toString(), e);
        }
    }

    /** An I/O failure of a stream, as a {@link StoreException}: the store's own if it is the cause. */
    public static StoreException fromIo(String operation, Location location, IOException e) {
        if (e.getCause() instanceof StoreException) {
            return (StoreException) e.getCause();
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return new StoreException(ErrorKind.TIMEOUT, operation, location, e.toString(), e);
        }
        if (e instanceof java.nio.channels.ClosedByInterruptException
                || e.getClass() == java.io.InterruptedIOException.class || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            return new StoreException(ErrorKind.INTERRUPTED, operation, location, "interrupted", e);
        }
        return new StoreException(ErrorKind.TRANSIENT, operation, location, e.toString(), e);
    }

}
