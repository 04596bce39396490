package io.atomiccheckpoint.store.fs;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.StoreCapabilities;
import io.atomiccheckpoint.spi.SupportsConditionalDelete;
import io.atomiccheckpoint.spi.SupportsDirectories;
import io.atomiccheckpoint.spi.UTF8Order;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Setting;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded default store: objects are files under {@code file:///} locations, keys are absolute paths.
 *
 * <p>How each condition is enforced, by the kernel rather than by a check before the request:
 * <ul>
 *   <li>Every write goes to a hidden upload file in the target directory and is published at once, so readers
 *       never see a partial file. {@link PutMode#CREATE} publishes with a hard link, which fails if the name
 *       exists; {@link PutMode#OVERWRITE} and {@link PutMode#update} with a rename over the target.</li>
 *   <li>{@link PutMode#update} and {@link PutMode#OVERWRITE} puts and deletes hold a lock on the target while they
 *       compare and publish: a {@link ReentrantLock} among this process's threads and an exclusive
 *       {@link FileLock} among processes, on one of {@value #LOCK_STRIPES} lock files in {@link #LOCK_DIRECTORY}.
 *       So an update is atomic against every other update, overwrite and delete of processes that share that
 *       directory (all processes on one machine, by default).</li>
 *   <li>A version is the file's inode, size and modification time. A pinned copy or an expected-version read
 *       compares the version before opening the source and after opening it; files are replaced only by
 *       publishing a new inode, so a match proves the opened file is that version. A pinned copy also compares
 *       the source's version once more while it publishes the target, holding the source's lock (which deletes
 *       and replacements of the source take too), so it lands only if the source is still that version then: a
 *       copy that was paused half way cannot land after its source was deleted, as on a cloud service.</li>
 * </ul>
 *
 * <p>Symbolic links are never followed, at any component of a path: an operation on a path that passes
 * through a link fails with {@link ErrorKind#INVALID_INPUT}, so a link planted in a checkpoint or a root cannot
 * make the protocol read, write or delete outside it. Use real paths for roots.
 *
 * <p>Names starting with {@value #UPLOAD_PREFIX} are the store's own upload files: listings skip them, and
 * writing or copying to such a name is refused, so nothing written can silently disappear from a listing.
 *
 * <p>Listing holds one directory's entries in memory at a time, never the whole tree.
 *
 * <p>Settings: {@link #FSYNC}, {@link #DIRECTORY_PERMISSIONS}, {@link #FILE_PERMISSIONS}, {@link #LOCK_DIRECTORY};
 * unknown {@code fs.*} keys are refused.
 */
public final class FileSystemObjectStore implements ObjectStore, SupportsDirectories, SupportsConditionalDelete {
    /** Name prefix of in-progress uploads; listings skip them and writes to such names are refused. */
    public static final String UPLOAD_PREFIX = ".atomic-checkpoint-upload-";
    /** {@code fs.fsync}: whether files and their directories are fsynced before a put returns. */
    public static final Setting<Boolean> FSYNC = Setting.bool("fs.fsync", true,
            "fsync each file, and its directory, before a put returns; false trades durability for speed");
    /** {@code fs.directoryPermissions}: for example {@code rwxr-x---}; default the process umask. */
    public static final Setting<String> DIRECTORY_PERMISSIONS = Setting.text("fs.directoryPermissions", null,
            "POSIX permissions of directories the store creates, for example rwxr-x---; default: the umask");
    /** {@code fs.filePermissions}: for example {@code rw-r-----}; default the process umask. */
    public static final Setting<String> FILE_PERMISSIONS = Setting.text("fs.filePermissions", null,
            "POSIX permissions of files the store writes, for example rw-r-----; default: the umask");
    /** {@code fs.lockDirectory}: where the lock files of conditional updates live. */
    public static final Setting<String> LOCK_DIRECTORY = Setting.text("fs.lockDirectory", null,
            "directory of the lock files that make updates atomic among processes; all processes writing one"
                    + " checkpoint must share it (on a network filesystem, put it there); default:"
                    + " ${java.io.tmpdir}/atomic-checkpoint-locks");
    /** Every {@code fs.*} setting. */
    public static final List<Setting<?>> SETTINGS = List.of(FSYNC, DIRECTORY_PERMISSIONS, FILE_PERMISSIONS,
            LOCK_DIRECTORY);

    private static final int LOCK_STRIPES = 64;
    private static final StoreCapabilities CAPABILITIES = StoreCapabilities.full(Scheme.FILE, 1000, 5000);

    private final boolean fsync;
    private final Set<PosixFilePermission> directoryPermissions;
    private final Set<PosixFilePermission> filePermissions;
    private final Path lockDirectory;
    private final ReentrantLock[] threadLocks = new ReentrantLock[LOCK_STRIPES];

    public FileSystemObjectStore() {
        this(StoreConfig.empty());
    }

    public FileSystemObjectStore(StoreConfig config) {
        config.requireKnown("fs", SETTINGS);
        this.fsync = FSYNC.read(config);
        this.directoryPermissions = permissions(config, DIRECTORY_PERMISSIONS);
        this.filePermissions = permissions(config, FILE_PERMISSIONS);
        this.lockDirectory = LOCK_DIRECTORY.readOptional(config).map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "atomic-checkpoint-locks"));
        for (int i = 0; i < LOCK_STRIPES; i++) {
            threadLocks[i] = new ReentrantLock();
        }
    }

    private static Set<PosixFilePermission> permissions(StoreConfig config, Setting<String> setting) {
        return setting.readOptional(config).map(v -> {
            try {
                return PosixFilePermissions.fromString(v);
            } catch (IllegalArgumentException e) {
                throw new io.atomiccheckpoint.store.InvalidSettingException(setting.key(), "must look like rwxr-x---");
            }
        }).orElse(null);
    }

    @Override
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * The local path of {@code location}, after checking that no existing component of it is a symbolic link.
     * A link swapped in after this check is still refused where the open itself does not follow links
     * ({@code NOFOLLOW_LINKS} on the last component).
     */
    private static Path path(String operation, Location location) {
        for (String segment : location.key().split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || (segment.isEmpty() && !location.isRoot())) {
                throw new StoreException(ErrorKind.INVALID_INPUT, operation, location,
                        "key has an empty, '.' or '..' segment");
            }
        }
        Path full = location.toPath();
        Path p = full.getRoot();
        for (Path name : full) {
            p = p.resolve(name);
            if (Files.isSymbolicLink(p)) {
                throw new StoreException(ErrorKind.INVALID_INPUT, operation, location, "path component " + p
                        + " is a symbolic link; the filesystem store never follows links (use the real path)");
            }
        }
        return full;
    }

    private static void refuseUploadName(String operation, Location location) {
        for (String segment : location.key().split("/")) {
            if (segment.startsWith(UPLOAD_PREFIX)) {
                throw new StoreException(ErrorKind.INVALID_INPUT, operation, location, "names starting with "
                        + UPLOAD_PREFIX + " are the store's own upload files and would be hidden from listings");
            }
        }
    }

    private static StoreException failure(String operation, Location location, IOException e) {
        ErrorKind kind = e instanceof AccessDeniedException ? ErrorKind.PERMISSION_DENIED
                : e instanceof NoSuchFileException ? ErrorKind.NOT_FOUND
                : e instanceof java.nio.channels.ClosedByInterruptException ? ErrorKind.INTERRUPTED
                : ErrorKind.UNKNOWN;
        if (kind == ErrorKind.INTERRUPTED) {
            Thread.currentThread().interrupt();
        }
        return new StoreException(kind, operation, location, e.toString(), e);
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        Collector collector = new Collector(prefix, delimited, pageSize + 1, objects, directories);
        try {
            collector.walk(path("list", prefix), prefix.prefix(), pageToken);
        } catch (IOException e) {
            throw failure("list", prefix, e);
        }
        String next = null;
        if (objects.size() + directories.size() > pageSize) {
            // One entry more than asked for proves there is another page; it is dropped and fetched again next time.
            String lastObject = objects.isEmpty() ? null : objects.get(objects.size() - 1).key();
            String lastDir = directories.isEmpty() ? null : directories.get(directories.size() - 1);
            if (lastDir == null || (lastObject != null && UTF8Order.compare(lastObject, lastDir) > 0)) {
                objects.remove(objects.size() - 1);
            } else {
                directories.remove(directories.size() - 1);
            }
            String a = objects.isEmpty() ? null : objects.get(objects.size() - 1).key();
            String b = directories.isEmpty() ? null : directories.get(directories.size() - 1);
            next = a == null ? b : b == null ? a : UTF8Order.compare(a, b) > 0 ? a : b;
        }
        return new ListPage(objects, directories, next);
    }

    /** A depth-first walk that visits children in the order their full keys sort, resuming after a token. */
    private final class Collector {
        private final Location prefix;
        private final boolean delimited;
        private final int limit;
        private final List<ObjectInfo> objects;
        private final List<String> directories;

        Collector(Location prefix, boolean delimited, int limit, List<ObjectInfo> objects, List<String> directories) {
            this.prefix = prefix;
            this.delimited = delimited;
            this.limit = limit;
            this.objects = objects;
            this.directories = directories;
        }

        private boolean full() {
            return objects.size() + directories.size() >= limit;
        }

        void walk(Path dir, String keyPrefix, String startAfter) throws IOException {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            List<Child> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(UPLOAD_PREFIX)) {
                        continue;
                    }
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (attrs.isSymbolicLink()) {
                        throw new StoreException(ErrorKind.INVALID_INPUT, "list", prefix, "found symbolic link " + p
                                + "; the filesystem store does not follow or list links");
                    }
                    if (attrs.isDirectory() || attrs.isRegularFile()) {
                        children.add(new Child(p, keyPrefix + name + (attrs.isDirectory() ? "/" : ""), attrs));
                    }
                }
            }
            children.sort(Comparator.comparing(c -> c.key, UTF8Order.COMPARATOR));
            for (Child child : children) {
                if (full()) {
                    return;
                }
                boolean after = startAfter == null || UTF8Order.compare(child.key, startAfter) > 0;
                if (child.attrs.isDirectory()) {
                    if (delimited) {
                        if (after) {
                            directories.add(child.key);
                        }
                    } else if (startAfter != null && startAfter.startsWith(child.key)) {
                        walk(child.path, child.key, startAfter);
                    } else if (after) {
                        walk(child.path, child.key, null);
                    }
                } else if (after) {
                    objects.add(info(child.key, child.attrs));
                }
            }
        }
    }

    private static final class Child {
        final Path path;
        final String key;
        final BasicFileAttributes attrs;

        Child(Path path, String key, BasicFileAttributes attrs) {
            this.path = path;
            this.key = key;
            this.attrs = attrs;
        }
    }

    private static ObjectInfo info(String key, BasicFileAttributes attrs) {
        String version = attrs.lastModifiedTime().toInstant().getEpochSecond() + "."
                + attrs.lastModifiedTime().toInstant().getNano() + "-" + attrs.size() + "-" + attrs.fileKey();
        return new ObjectInfo(key, attrs.size(), version, null, attrs.lastModifiedTime().toInstant());
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        Path p = path("stat", location);
        try {
            BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                throw new StoreException(ErrorKind.INVALID_INPUT, "stat", location,
                        "is a symbolic link; the filesystem store does not follow links");
            }
            return attrs.isRegularFile() ? Optional.of(info(location.key(), attrs)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("stat", location, e);
        }
    }

    @Override
    public InputStream get(Location location, GetOptions options) {
        SeekableByteChannel channel = open("get", location, options.expectedVersion());
        try {
            if (options.offset() > 0) {
                channel.position(options.offset());
            }
            InputStream in = Channels.newInputStream(channel);
            return options.length() < 0 ? in : new Limited(in, options.length());
        } catch (IOException e) {
            closeQuietly(channel);
            throw failure("get", location, e);
        }
    }

    /**
     * Opens a file for reading without following links. With an expected version, the version is compared
     * before and after the open: a replacement publishes a new inode, so a match after the open proves the open
     * file is that version.
     */
    private SeekableByteChannel open(String operation, Location location, String expectedVersion) {
        Path p = path(operation, location);
        if (expectedVersion != null) {
            requireVersion(operation, location, expectedVersion);
        }
        SeekableByteChannel channel;
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new ObjectNotFoundException(operation, location, null);
            }
            channel = Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(operation, location, e);
        } catch (IOException e) {
            if (e instanceof FileSystemLoopException || Files.isSymbolicLink(p)) {
                throw new StoreException(ErrorKind.INVALID_INPUT, operation, location,
                        "is a symbolic link; the filesystem store does not follow links", e);
            }
            throw failure(operation, location, e);
        }
        if (expectedVersion != null) {
            try {
                requireVersion(operation, location, expectedVersion);
            } catch (RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }
        return channel;
    }

    private void requireVersion(String operation, Location location, String expected) {
        Optional<ObjectInfo> now = stat(location);
        if (now.isEmpty()) {
            throw new ObjectNotFoundException(operation, location, null);
        }
        if (!expected.equals(now.get().version().orElse(null))) {
            throw new PreconditionFailedException(operation, location, "the object is no longer version " + expected
                    + " (now " + now.get().version().orElse("?") + ")", null);
        }
    }

    /** Reads at most a given number of bytes of a range. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        refuseUploadName("put", location);
        try (InputStream in = payload.open()) {
            return publish("put", location, in, payload.length(), mode, null, null);
        } catch (IOException e) {
            throw failure("put", location, e);
        }
    }

    /**
     * Writes {@code length} bytes to an upload file beside the target and publishes it under {@code mode}; for a
     * pinned copy, only if {@code pinnedSource} is still {@code pinnedVersion} when it is published.
     */
    private ObjectInfo publish(String operation, Location location, InputStream data, long length, PutMode mode,
            Location pinnedSource, String pinnedVersion) {
        Path target = path(operation, location);
        Path parent = target.getParent();
        Path tmp = parent.resolve(UPLOAD_PREFIX + UUID.randomUUID());
        try {
            createDirectories(parent);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                long copied = copy(data, out, length);
                if (copied != length) {
                    throw new StoreException(ErrorKind.INVALID_INPUT, operation, location, "the data ended after "
                            + copied + " of " + length + " bytes");
                }
                out.flush();
                if (fsync) {
                    channel.force(true);
                }
            }
            if (filePermissions != null) {
                Files.setPosixFilePermissions(tmp, filePermissions);
            }
            String expected = mode instanceof PutMode.Update ? ((PutMode.Update) mode).version() : null;
            List<Path> locked = new ArrayList<>();
            if (!(mode instanceof PutMode.Create)) {
                locked.add(target);
            }
            if (pinnedSource != null) {
                locked.add(path(operation, pinnedSource));
            }
            withLocks(locked, () -> {
                if (pinnedSource != null) {
                    // Under the source's lock, which its deletes and replacements take too: the copy lands only if
                    // the source is still the pinned version at this moment, as a service-side pinned copy does.
                    try {
                        requireVersion(operation, pinnedSource, pinnedVersion);
                    } catch (ObjectNotFoundException | PreconditionFailedException changed) {
                        throw new PreconditionFailedException(operation, location, "the source " + pinnedSource
                                + " changed or vanished since it was listed: " + changed.getMessage(), changed);
                    }
                }
                if (mode instanceof PutMode.Create) {
                    try {
                        Files.createLink(target, tmp);
                    } catch (FileAlreadyExistsException e) {
                        throw new PreconditionFailedException(operation, location, e);
                    }
                    return null;
                }
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new StoreException(ErrorKind.CONFLICT, operation, location, "a directory is in the way");
                }
                if (expected != null) {
                    try {
                        requireVersion(operation, location, expected);
                    } catch (ObjectNotFoundException gone) {
                        throw new PreconditionFailedException(operation, location, "an update expected version "
                                + expected + " but there is no object", gone);
                    }
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return null;
            });
            if (fsync) {
                syncDirectory(parent);
            }
            // What the kernel now holds at the name: observed, not echoed.
            return stat(location).orElseThrow(() -> new StoreException(ErrorKind.CONFLICT, operation, location,
                    "was deleted by someone else right after this write published it"));
        } catch (IOException e) {
            throw failure(operation, location, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The upload name is hidden from listings; a leftover cannot be mistaken for data.
            }
        }
    }

    /** A body run under a target's lock. */
    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code body} holding the target's stripe: a thread lock in this process, a file lock among processes. */
    private <T> T withLock(Path target, Locked<T> body) throws IOException {
        return withLocks(List.of(target), body);
    }

    /**
     * Runs {@code body} holding the stripes of every path, taken in stripe order (so two callers never wait for
     * each other in a cycle), each as a thread lock in this process and a file lock among processes.
     */
    private <T> T withLocks(List<Path> paths, Locked<T> body) throws IOException {
        java.util.TreeSet<Integer> stripes = new java.util.TreeSet<>();
        for (Path p : paths) {
            stripes.add(Math.floorMod(p.toString().hashCode(), LOCK_STRIPES));
        }
        return lockFrom(stripes.iterator(), body);
    }

    private <T> T lockFrom(java.util.Iterator<Integer> stripes, Locked<T> body) throws IOException {
        if (!stripes.hasNext()) {
            return body.run();
        }
        int stripe = stripes.next();
        ReentrantLock threadLock = threadLocks[stripe];
        threadLock.lock();
        try {
            Files.createDirectories(lockDirectory);
            try (FileChannel lockFile = FileChannel.open(lockDirectory.resolve("stripe-" + stripe + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                return lockFrom(stripes, body);
            }
        } finally {
            threadLock.unlock();
        }
    }

    private static long copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
            if (directoryPermissions != null) {
                Files.setPosixFilePermissions(dir, directoryPermissions);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " exists and is not a directory (or is a symbolic link)", e);
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some filesystems cannot fsync a directory; the file itself was synced.
        }
    }

    /**
     * Reads the source and publishes it at the target. A pinned copy checks the source's version before and
     * after opening it, and the size copied is the open file's, so the bytes copied are exactly that version's.
     */
    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        refuseUploadName("copy", target);
        SeekableByteChannel channel;
        try {
            channel = open("copy", source, options.sourceVersion());
        } catch (PreconditionFailedException e) {
            throw new PreconditionFailedException("copy", target, "the source " + source
                    + " changed since it was listed: " + e.getMessage(), e);
        }
        try (InputStream in = Channels.newInputStream(channel)) {
            return publish("copy", target, in, channel.size(), options.destination(),
                    options.sourceVersion() == null ? null : source, options.sourceVersion());
        } catch (IOException e) {
            throw failure("copy", target, e);
        }
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (Location location : locations) {
            results.add(deleteOne(location, null));
        }
        return results;
    }

    /** Always: the condition is checked where the store itself decides it. */
    @Override
    public boolean enforcesPinnedDeletes(Location location) {
        return true;
    }

    /**
     * Compares and deletes under the file's lock. Every replacement and delete of the file takes that lock, and a
     * create-only publish cannot replace a file that exists, so the file cannot change between the comparison
     * and the delete.
     */
    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        List<DeleteResult> results = new ArrayList<>(objects.size());
        for (ObjectVersion object : objects) {
            results.add(deleteOne(object.location(), object.version()));
        }
        return results;
    }

    /** Deletes one file under its lock, only while it is version {@code expected} unless that is null. */
    private DeleteResult deleteOne(Location location, String expected) {
        try {
            Path p = path("delete", location);
            String kept = withLock(p, () -> {
                if (expected != null) {
                    Optional<ObjectInfo> now = stat(location);
                    if (now.isEmpty()) {
                        return null;
                    }
                    String version = now.get().version().orElse("?");
                    if (!expected.equals(version)) {
                        return version;
                    }
                }
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
                return null;
            });
            return kept == null ? DeleteResult.deleted(location) : DeleteResult.failed(location,
                    ErrorKind.PRECONDITION_FAILED, "the file is now version " + kept + ", not the listed " + expected
                    + "; kept");
        } catch (StoreException e) {
            return DeleteResult.failed(location, e.kind(), e.getMessage());
        } catch (IOException e) {
            StoreException f = failure("delete", location, e);
            return DeleteResult.failed(location, f.kind(), f.getMessage());
        }
    }

    @Override
    public void createDirectory(Location location, Set<PosixFilePermission> permissions) {
        Path dir = path("create directory", location);
        try {
            createDirectories(dir);
            if (permissions != null) {
                Files.setPosixFilePermissions(dir, permissions);
            }
        } catch (IOException e) {
            throw failure("create directory", location, e);
        }
    }

    @Override
    public void pruneEmptyDirectories(Location location) {
        Path root = path("prune", location);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                    try {
                        Files.delete(dir);
                    } catch (DirectoryNotEmptyException notEmpty) {
                        // Holds files: it is data, keep it.
                    } catch (IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    // Replaced or deleted while the walk ran (a lease rewritten by rename, a writer's upload
                    // published): a file is no directory to prune, whatever became of it.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (java.nio.file.NoSuchFileException vanished) {
            // The whole directory went meanwhile: nothing left to prune.
        } catch (IOException e) {
            throw failure("prune", location, e);
        }
    }

    /**
     * Deletes files named {@value #UPLOAD_PREFIX}{@code *} below {@code location}, never following a link. Safe
     * against a writer still holding one: its publish (a link or rename of that file) then fails, which is what a
     * revoked writer or a copy the marker already covers must do anyway.
     */
    @Override
    public long removeUploadLeftovers(Location location) {
        Path root = path("remove upload leftovers", location);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] removed = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && file.getFileName().toString().startsWith(UPLOAD_PREFIX)
                            && Files.deleteIfExists(file)) {
                        removed[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // vanished meanwhile: nothing left to remove there
                }
            });
        } catch (IOException e) {
            throw failure("remove upload leftovers", location, e);
        }
        return removed[0];
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Already failing; the first error is the one reported.
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "FileSystemObjectStore{fsync=" + fsync + "}";
    }
}
