package io.atomiccheckpoint.store.fs;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.UTF8Order;
import io.atomiccheckpoint.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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

/**
 * The embedded default store: objects are files under {@code file:///} locations, keys are absolute paths.
 *
 * <p>Writes go to a hidden temporary file in the target directory and are published with an atomic rename
 * ({@link WriteMode#OVERWRITE}) or a hard link, which fails if the target exists ({@link WriteMode#CREATE}),
 * so readers never see a partial file and create-only is enforced by the kernel. Files are fsynced before
 * they are published unless {@code fs.fsync=false}.
 *
 * <p>Symbolic links are never followed: listing, reading or copying one fails with a clear error, so a link
 * planted in a checkpoint cannot make the protocol read or write outside it.
 *
 * <p>Listing holds one directory's entries in memory at a time, never the whole tree.
 *
 * <p>Settings: {@code fs.fsync} (default {@code true}), {@code fs.directoryPermissions} and
 * {@code fs.filePermissions} (for example {@code rwxr-x---}; default: the process umask).
 */
public final class FileSystemObjectStore implements ObjectStore {
    /** Name prefix of in-progress uploads; listings skip them. */
    static final String UPLOAD_PREFIX = ".atomic-checkpoint-upload-";

    private final boolean fsync;
    private final Set<PosixFilePermission> directoryPermissions;
    private final Set<PosixFilePermission> filePermissions;

    public FileSystemObjectStore() {
        this(StoreConfig.empty());
    }

    public FileSystemObjectStore(StoreConfig config) {
        this.fsync = config.getBoolean("fs.fsync", true);
        this.directoryPermissions = permissions(config, "fs.directoryPermissions");
        this.filePermissions = permissions(config, "fs.filePermissions");
    }

    private static Set<PosixFilePermission> permissions(StoreConfig config, String key) {
        return config.get(key).map(v -> {
            try {
                return PosixFilePermissions.fromString(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting " + key + " must look like rwxr-x---, was '" + v + "'", e);
            }
        }).orElse(null);
    }

    private static Path path(Location location) {
        if (location.scheme() != Scheme.FILE) {
            throw new IllegalArgumentException("the filesystem store serves file:/// locations, not " + location);
        }
        for (String segment : location.key().split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || (segment.isEmpty() && !location.isRoot())) {
                throw new StoreException("resolve", location, "key has an empty, '.' or '..' segment");
            }
        }
        return location.toPath();
    }

    @Override
    public ListPage listPage(Location prefix, boolean delimited, String pageToken, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, was " + pageSize);
        }
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        Collector collector = new Collector(prefix, delimited, pageSize + 1, objects, directories);
        try {
            collector.walk(path(prefix), prefix.prefix(), pageToken);
        } catch (IOException e) {
            throw new StoreException("list", prefix, e.toString(), e);
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
                        throw new StoreException("list", prefix, "found symbolic link " + p
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
        Path p = path(location);
        try {
            BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                throw new StoreException("stat", location, "is a symbolic link; the filesystem store does not follow links");
            }
            return attrs.isRegularFile() ? Optional.of(info(location.key(), attrs)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("stat", location, e.toString(), e);
        }
    }

    @Override
    public InputStream read(Location location) {
        Path p = path(location);
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new ObjectNotFoundException("read", location, null);
            }
            return Channels.newInputStream(Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("read", location, e);
        } catch (FileSystemLoopException e) {
            throw new StoreException("read", location, "is a symbolic link; the filesystem store does not follow links", e);
        } catch (IOException e) {
            if (Files.isSymbolicLink(p)) {
                throw new StoreException("read", location, "is a symbolic link; the filesystem store does not follow links", e);
            }
            throw new StoreException("read", location, e.toString(), e);
        }
    }

    @Override
    public ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
        Path target = path(location);
        if (location.isRoot()) {
            throw new StoreException("write", location, "cannot write an object at the filesystem root");
        }
        Path parent = target.getParent();
        Path tmp = parent.resolve(UPLOAD_PREFIX + UUID.randomUUID());
        try {
            createDirectories(parent);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                long copied = copy(data, out, length);
                if (copied != length) {
                    throw new StoreException("write", location, "the data ended after " + copied + " of " + length + " bytes");
                }
                out.flush();
                if (fsync) {
                    channel.force(true);
                }
            }
            if (filePermissions != null) {
                Files.setPosixFilePermissions(tmp, filePermissions);
            }
            if (mode == WriteMode.CREATE) {
                try {
                    Files.createLink(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    throw new PreconditionFailedException("write", location, e);
                }
            } else {
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new StoreException("write", location, "a directory is in the way");
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            if (fsync) {
                syncDirectory(parent);
            }
            return stat(location).orElseThrow(() -> new StoreException("write", location, "vanished right after writing"));
        } catch (IOException e) {
            throw new StoreException("write", location, e.toString(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The upload name is hidden from listings; a leftover cannot be mistaken for data.
            }
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

    @Override
    public ObjectInfo copy(Location source, Location target, WriteMode mode) {
        ObjectInfo info = stat(source).orElseThrow(() -> new ObjectNotFoundException("copy", source, null));
        try (InputStream in = read(source)) {
            return write(target, in, info.size(), mode);
        } catch (IOException e) {
            throw new StoreException("copy", target, e.toString(), e);
        }
    }

    @Override
    public void delete(Location location) {
        Path p = path(location);
        try {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StoreException("delete", location, e.toString(), e);
        }
    }

    @Override
    public List<DeleteResult> deleteBatch(List<Location> locations) {
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (Location location : locations) {
            try {
                delete(location);
                results.add(DeleteResult.deleted(location));
            } catch (StoreException e) {
                results.add(DeleteResult.failed(location, e.getMessage()));
            }
        }
        return results;
    }

    @Override
    public void createDirectory(Location location, Set<PosixFilePermission> permissions) {
        Path dir = path(location);
        try {
            createDirectories(dir);
            if (permissions != null) {
                Files.setPosixFilePermissions(dir, permissions);
            }
        } catch (IOException e) {
            throw new StoreException("create directory", location, e.toString(), e);
        }
    }

    @Override
    public void pruneEmptyDirectories(Location location) {
        Path root = path(location);
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
            });
        } catch (IOException e) {
            throw new StoreException("prune", location, e.toString(), e);
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
