package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;

/**
 * Hadoop's file operations as the Spark plug-in needs them, on the library's stores: what
 * {@link AtomicCheckpointFileManager} and {@link StoreFileSystem} both call.
 *
 * <p>Object stores have no directories: a path is a directory if objects exist below it. {@link #mkdirs} makes
 * an empty directory visible by writing an empty object named {@value #DIRECTORY_MARKER} into it, which listings
 * here hide; the filesystem store gets the same object, so every store behaves alike.
 */
final class StoreFiles {
    /** The empty object that keeps a directory made by {@link #mkdirs} visible while it has nothing else. */
    static final String DIRECTORY_MARKER = ".atomiccheckpoint-directory";

    private static final int PAGE_SIZE = 1000;

    private final StoreConfig config;

    StoreFiles(StoreConfig config) {
        this.config = config;
    }

    private Store store(Location location) {
        return OpenStores.forLocation(location, config);
    }

    /**
     * A stream whose {@code close()} writes what was written with one put: create-only
     * ({@link PutMode#CREATE}) or replacing ({@link PutMode#OVERWRITE}); nothing is written before.
     */
    SinglePutOutputStream create(Path path, boolean overwrite) throws IOException {
        Location location = location(path);
        return new SinglePutOutputStream(store(location), location, path,
                overwrite ? PutMode.OVERWRITE : PutMode.CREATE);
    }

    /** Opens a file for reading; every read after the first is pinned to the version first read. */
    StoreInputStream open(Path path) throws IOException {
        Location location = location(path);
        Store store = store(location);
        Optional<ObjectInfo> info = call("open", path, () -> stat(store, location));
        if (info.isEmpty()) {
            throw new FileNotFoundException("no file " + Messages.quote(path));
        }
        return new StoreInputStream(store, location, path, info.get());
    }

    /** Whether a file, or a directory with anything below it, exists at {@code path}. */
    boolean exists(Path path) throws IOException {
        Location location = location(path);
        Store store = store(location);
        return call("exists", path, () -> stat(store, location).isPresent() || hasChildren(store, location));
    }

    /** The file's or directory's status. */
    FileStatus status(Path path) throws IOException {
        Location location = location(path);
        Store store = store(location);
        Optional<ObjectInfo> info = call("status", path, () -> stat(store, location));
        if (info.isPresent()) {
            return fileStatus(path, info.get());
        }
        if (call("status", path, () -> hasChildren(store, location))) {
            return directoryStatus(path);
        }
        throw new FileNotFoundException("no file or directory " + Messages.quote(path));
    }

    /**
     * The files and directories directly below {@code path} that {@code filter} accepts (empty if there are none).
     * Spark's API returns an array, so one directory's entries are held; listings are read page by page.
     */
    FileStatus[] list(Path path, PathFilter filter) throws IOException {
        Location location = location(path);
        Store store = store(location);
        List<FileStatus> out = new ArrayList<>();
        String token = null;
        do {
            String pageToken = token;
            ListPage page = call("list", path, () -> store.listPage(location, true, pageToken, PAGE_SIZE));
            for (ObjectInfo object : page.objects()) {
                String name = lastSegment(object.key());
                Path child = new Path(path, name);
                if (!name.equals(DIRECTORY_MARKER) && filter.accept(child)) {
                    out.add(fileStatus(child, object));
                }
            }
            for (String directory : page.directories()) {
                Path child = new Path(path, lastSegment(directory));
                if (filter.accept(child)) {
                    out.add(directoryStatus(child));
                }
            }
            token = page.nextPageToken().orElse(null);
        } while (token != null);
        return out.toArray(new FileStatus[0]);
    }

    /** Makes {@code path} a visible directory; a file there is refused. */
    void mkdirs(Path path) throws IOException {
        Location location = location(path);
        Store store = store(location);
        if (call("mkdirs", path, () -> stat(store, location)).isPresent()) {
            throw new FileAlreadyExistsException("cannot make directory " + Messages.quote(path)
                    + ": a file of that name exists");
        }
        try {
            call("mkdirs", path, () -> store.write(location.resolve(DIRECTORY_MARKER), new byte[0], PutMode.CREATE));
        } catch (FileAlreadyExistsException alreadyADirectory) {
            // Made before: mkdirs is idempotent.
        }
    }

    /**
     * Deletes the file at {@code path}, or everything below it (Spark's delete is recursive); a missing path is
     * no error. Returns whether anything was there.
     */
    boolean delete(Path path) throws IOException {
        Location location = location(path);
        if (location.isRoot()) {
            throw new IOException("refusing to delete " + Messages.quote(path) + ": it is a whole bucket or container");
        }
        Store store = store(location);
        boolean existed = call("delete", path, () -> stat(store, location)).isPresent();
        if (existed) {
            call("delete", path, () -> {
                store.delete(location);
                return null;
            });
        }
        // Listed again from the start after each batch, so deletions never disturb a page token.
        while (true) {
            ListPage page = call("delete", path,
                    () -> store.listPage(location, false, null, Math.min(PAGE_SIZE, store.maxDeleteBatchSize())));
            if (page.objects().isEmpty()) {
                break;
            }
            existed = true;
            List<Location> batch = new ArrayList<>();
            for (ObjectInfo object : page.objects()) {
                batch.add(location.sameBucket(object.key()));
            }
            for (DeleteResult result : call("delete", path, () -> store.deleteBatch(batch))) {
                if (!result.succeeded()) {
                    throw new IOException("could not delete " + Messages.quote(result.location()) + " below "
                            + Messages.quote(path) + ": " + result.kind());
                }
            }
        }
        if (existed && store.hasDirectories()) {
            call("delete", path, () -> {
                store.pruneEmptyDirectories(location);
                return null;
            });
        }
        return existed;
    }

    /** The object at {@code location}; a bucket's root is never an object (the store refuses to address it). */
    private static Optional<ObjectInfo> stat(Store store, Location location) {
        return location.isRoot() ? Optional.empty() : store.stat(location);
    }

    private static boolean hasChildren(Store store, Location location) {
        ListPage page = store.listPage(location, true, null, 1);
        return !page.objects().isEmpty() || !page.directories().isEmpty();
    }

    static Location location(Path path) throws IOException {
        try {
            return CheckpointPaths.toLocation(path);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static FileStatus fileStatus(Path path, ObjectInfo info) {
        long modified = info.lastModified().map(java.time.Instant::toEpochMilli).orElse(0L);
        return new FileStatus(info.size(), false, 1, 64L * 1024 * 1024, modified, path);
    }

    private static FileStatus directoryStatus(Path path) {
        return new FileStatus(0, true, 1, 0, 0, path);
    }

    private static String lastSegment(String key) {
        String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** A store call whose failures reach Hadoop's callers as the {@link IOException}s they expect. */
    interface StoreCall<T> {
        T run();
    }

    static <T> T call(String operation, Path path, StoreCall<T> body) throws IOException {
        try {
            return body.run();
        } catch (PreconditionFailedException e) {
            FileAlreadyExistsException refused = new FileAlreadyExistsException(operation + " of "
                    + Messages.quote(path) + " refused: " + e.getMessage());
            refused.initCause(e);
            throw refused;
        } catch (AtomicCheckpointException e) {
            throw new IOException(operation + " of " + Messages.quote(path) + " failed (" + e.kind() + "): "
                    + e.getMessage(), e);
        }
    }
}
