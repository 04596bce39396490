package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The service provider interface a store implements, once per cloud: seven required methods and
 * {@link #close()}, with no defaults a wrapper could forget to forward. Users do not call it; they go through
 * the {@link io.atomiccheckpoint.store.Store} facade, which checks every location (scheme, bucket, root),
 * page size and batch size against {@link #capabilities()} before a call reaches the store, and adds paged
 * streams, batching and byte and file conveniences once for every store.
 *
 * <p>Rules every method follows:
 * <ul>
 *   <li>Results carry only what the service returned or what a request observed, never an echo of the input:
 *       the commit compares them with what it listed, and an echo would make that check unable to fail. A field
 *       the response lacks may be derived from a condition the service enforced in that same request (the size
 *       of a copy pinned to its source's version is that version's size), never from an unchecked input.</li>
 *   <li>A condition ({@link PutMode#CREATE}, {@link PutMode#update}, a pinned copy source, an expected read
 *       version) is enforced by the service in the same request. A condition the store cannot enforce is
 *       refused with {@link io.atomiccheckpoint.ErrorKind#NOT_SUPPORTED}, never checked separately and never
 *       dropped. A refused condition is a {@link io.atomiccheckpoint.store.PreconditionFailedException}.</li>
 *   <li>Failures are {@link StoreException}s whose {@link StoreException#kind() kind} comes from one table of
 *       (status, error code) pairs per cloud; stream I/O failures are too. An interrupted thread gets
 *       {@link io.atomiccheckpoint.ErrorKind#INTERRUPTED} with its interrupt status kept.</li>
 *   <li>Credentials never appear in messages, logs or {@code toString()}.</li>
 *   <li>Every method may be called from many threads at once.</li>
 * </ul>
 *
 * <p>Stores that have directories and permission modes (local disks) also implement
 * {@link SupportsDirectories}. {@code testkit}'s {@code ObjectStoreContract} is the acceptance test of an
 * implementation; {@link ObjectStoreProvider} makes it findable by scheme.
 */
public interface ObjectStore extends AutoCloseable {
    /** What this store serves and enforces; constant for the store's life. */
    StoreCapabilities capabilities();

    /**
     * One page of the objects whose keys start with {@code prefix.prefix()} ({@code key + "/"}), in ascending
     * order of their keys' UTF-8 bytes ({@link UTF8Order}).
     *
     * @param delimited if true, only objects directly below and the sub-"directories" as common prefixes (full
     *     keys ending in {@code /}); if false, every object at any depth
     * @param pageToken the previous page's token, or null for the first page
     * @param pageSize the most entries (objects plus directories), 1 to {@link StoreCapabilities#maxListPageSize()};
     *     the store may return fewer
     */
    ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize);

    /** What the service reports about the object now, or empty if there is none. */
    Optional<ObjectInfo> stat(Location location);

    /**
     * Opens the object, or the asked range of it, for reading; the caller closes the stream. Read failures of
     * the stream are {@link java.io.IOException}s whose cause, where the store knows it, is a
     * {@link StoreException}.
     *
     * @throws io.atomiccheckpoint.store.ObjectNotFoundException if there is no such object
     * @throws io.atomiccheckpoint.store.PreconditionFailedException if it is not the expected version
     */
    InputStream get(Location location, GetOptions options);

    /**
     * Writes the payload as the object at {@code location}. Readers see the old object or the complete new one,
     * never a part.
     *
     * @return the new object as the service reports it (its version above all)
     * @throws io.atomiccheckpoint.store.PreconditionFailedException if {@code mode}'s condition does not hold
     */
    ObjectInfo put(Location location, Payload payload, PutMode mode);

    /**
     * Copies {@code source} to {@code target} in the same bucket, server-side where the service allows it.
     *
     * @return the target as the service reports it after the copy
     * @throws io.atomiccheckpoint.store.ObjectNotFoundException if the source does not exist
     * @throws io.atomiccheckpoint.store.PreconditionFailedException if the target exists and the mode is
     *     {@link PutMode#CREATE}, or the source is not the pinned version; the message names which
     */
    ObjectInfo copy(Location source, Location target, CopyOptions options);

    /**
     * Deletes up to {@link StoreCapabilities#maxDeleteBatchSize()} objects, reporting each one's outcome in input
     * order. A missing object counts as deleted, so a repeated clean-up converges. Throws only if the whole
     * request failed.
     */
    List<DeleteResult> delete(List<Location> locations);

    /** Releases clients and threads. */
    @Override
    void close();
}
