package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The small set of operations the commit protocol needs from a store, implemented once per cloud (the SPI).
 * Locations passed in are already validated; every method may be called from many threads at once.
 *
 * <p>Listing is by directory-like prefix: {@code list(loc)} returns the objects whose keys start with
 * {@code loc.prefix()} ({@code key + "/"}), in ascending order of their keys' UTF-8 bytes, one page at a
 * time, so memory never grows with the number of objects.
 *
 * <p>Failures are unchecked {@link StoreException}s; a lost create-only race is a
 * {@link PreconditionFailedException}, a missing source an {@link ObjectNotFoundException}. Implementations
 * keep credentials out of messages, logs and {@link #toString()}.
 */
public interface ObjectStore extends AutoCloseable {
    /** Page size used when the caller does not choose one; every cloud accepts it. */
    int DEFAULT_PAGE_SIZE = 1000;

    /**
     * Fetches one page of the objects below {@code prefix}.
     *
     * @param prefix the location whose {@link Location#prefix()} every returned key starts with
     * @param delimited if true, return only objects directly below and the sub-"directories" as common
     *     prefixes; if false, return every object at any depth
     * @param pageToken the token from the previous page, or null for the first page
     * @param pageSize the most entries (objects plus directories) to return; the store may return fewer
     */
    ListPage listPage(Location prefix, boolean delimited, String pageToken, int pageSize);

    /** What the store knows about the object at {@code location}, or empty if there is none. */
    Optional<ObjectInfo> stat(Location location);

    /**
     * Opens the object's content for reading. The caller closes the stream.
     *
     * @throws ObjectNotFoundException if there is no such object
     */
    InputStream read(Location location);

    /**
     * Writes {@code length} bytes from {@code data} as the object at {@code location}. Readers see either the
     * old object or the complete new one, never a partial write.
     *
     * @throws PreconditionFailedException if {@code mode} is {@link WriteMode#CREATE} and the object exists
     */
    ObjectInfo write(Location location, InputStream data, long length, WriteMode mode);

    /**
     * Copies {@code source} to {@code target} inside the store, without passing the bytes through this
     * process where the service allows it. Both locations are in the same bucket or container.
     *
     * @return the target's information after the copy
     * @throws ObjectNotFoundException if the source does not exist
     * @throws PreconditionFailedException if {@code mode} is {@link WriteMode#CREATE} and the target exists
     */
    ObjectInfo copy(Location source, Location target, WriteMode mode);

    /**
     * As {@link #copy(Location, Location, WriteMode)}, for a caller that already holds the source's
     * {@link ObjectInfo} from a listing: stores that need the source's size to pick a copy operation (S3 and
     * Azure switch to a multipart or asynchronous copy for large objects) take it from {@code sourceInfo} instead
     * of asking the service again, which saves one request per object. The result's size may be taken from
     * {@code sourceInfo} too, so it must describe the object now at {@code source}; commits list a temporary
     * prefix nobody else writes, where that holds.
     */
    default ObjectInfo copy(Location source, ObjectInfo sourceInfo, Location target, WriteMode mode) {
        return copy(source, target, mode);
    }

    /** Deletes one object; deleting a missing object succeeds. */
    void delete(Location location);

    /**
     * Deletes up to {@link #maxDeleteBatchSize()} objects, reporting each one's outcome in input order.
     * Missing objects count as deleted. Throws only if the whole request failed.
     */
    List<DeleteResult> deleteBatch(List<Location> locations);

    /** The most locations {@link #deleteBatch} accepts in one call (S3 1000, Azure 256, GCS 100). */
    default int maxDeleteBatchSize() {
        return 1000;
    }

    /**
     * Creates the directory for {@code location} with {@code permissions} where the store has directories
     * and permission modes (local disks). Object stores have neither and ignore the call.
     */
    default void createDirectory(Location location, Set<PosixFilePermission> permissions) {
    }

    /**
     * Removes {@code location}'s directory and its subdirectories if they hold no files, after a prefix was
     * deleted. Object stores have no directories and ignore the call.
     */
    default void pruneEmptyDirectories(Location location) {
    }

    /** Writes a byte array; see {@link #write(Location, InputStream, long, WriteMode)}. */
    default ObjectInfo write(Location location, byte[] data, WriteMode mode) {
        return write(location, new ByteArrayInputStream(data), data.length, mode);
    }

    /** Uploads a local file; see {@link #write(Location, InputStream, long, WriteMode)}. */
    default ObjectInfo writeFile(Location location, Path file, WriteMode mode) {
        try (InputStream in = Files.newInputStream(file)) {
            return write(location, in, Files.size(file), mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read local file " + file, e);
        }
    }

    /**
     * Every object below {@code prefix}, at any depth, fetched page by page as the stream is consumed.
     * Close the stream (try-with-resources) if you stop early.
     */
    default Stream<ObjectInfo> list(Location prefix) {
        return list(prefix, DEFAULT_PAGE_SIZE);
    }

    /** As {@link #list(Location)} with an explicit page size. */
    default Stream<ObjectInfo> list(Location prefix, int pageSize) {
        return PagedListing.objects(this, prefix, pageSize);
    }

    /**
     * The "directories" directly below {@code prefix} (common prefixes, as locations), fetched page by page.
     * Each appears once even on stores that repeat common prefixes across pages.
     */
    default Stream<Location> listDirectories(Location prefix) {
        return PagedListing.directories(this, prefix, DEFAULT_PAGE_SIZE);
    }

    /** Releases clients and threads. */
    @Override
    void close();
}
