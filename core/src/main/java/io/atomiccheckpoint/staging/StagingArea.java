package io.atomiccheckpoint.staging;

import io.atomiccheckpoint.atomicity.CommitObserver;
import io.atomiccheckpoint.internal.OrderedPipeline;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a checkpoint's files into its temporary location, as checkpoint libraries need it: one object at
 * a time through an output stream or a byte array, or a whole local directory tree for libraries that can
 * only write local files. Every name is relative and checked, so nothing can be written outside the
 * temporary location, and names the protocol reserves (the commit marker) are refused.
 *
 * <p>Safe to use from many threads and from every host of a multi-host job.
 */
public final class StagingArea {
    private final Store store;
    private final Location root;
    private final Set<String> reservedNames;
    private final int concurrency;
    private final CommitObserver observer;
    private final FailureCheck failureCheck;

    /**
     * Looks at a store failure of a write before it is rethrown, and may throw a more precise exception instead:
     * the temporary path's check throws {@link io.atomiccheckpoint.atomicity.AttemptSupersededException} when a
     * newer attempt took over (its {@code create()} deleted this attempt's directory, which some stores then
     * refuse to write into), so a writer that lost always learns it lost.
     */
    @FunctionalInterface
    public interface FailureCheck {
        void check(StoreException failure);
    }

    /**
     * @param root the temporary location
     * @param reservedNames top-level names writers may not use (the commit marker's)
     * @param concurrency uploads in flight at once in {@link #uploadDirectory}
     */
    public StagingArea(Store store, Location root, Set<String> reservedNames, int concurrency) {
        this(store, root, reservedNames, concurrency, CommitObserver.NONE);
    }

    /** As above, telling {@code observer} of every object written (not of streams from {@link #openOutputStream}). */
    public StagingArea(Store store, Location root, Set<String> reservedNames, int concurrency, CommitObserver observer) {
        this(store, root, reservedNames, concurrency, observer, failure -> { });
    }

    private StagingArea(Store store, Location root, Set<String> reservedNames, int concurrency,
            CommitObserver observer, FailureCheck failureCheck) {
        this.store = store;
        this.root = root;
        this.reservedNames = Set.copyOf(reservedNames);
        this.concurrency = concurrency;
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
        this.failureCheck = java.util.Objects.requireNonNull(failureCheck, "failureCheck");
    }

    /** This staging area, with {@code check} looking at every store failure of a write before it is rethrown. */
    public StagingArea withFailureCheck(FailureCheck check) {
        return new StagingArea(store, root, reservedNames, concurrency, observer, check);
    }

    private <T> T checked(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (StoreException failed) {
            failureCheck.check(failed);
            throw failed;
        }
    }

    private ObjectInfo staged(ObjectInfo info) {
        observer.onTransfer(CommitObserver.Transfer.STAGED, info.size());
        return info;
    }

    /** The temporary location everything is written below. */
    public Location root() {
        return root;
    }

    /**
     * The location of a relative name below the temporary location.
     *
     * @throws InvalidLocationException if the name is absolute, empty, contains {@code .}, {@code ..}, empty
     *     segments, backslashes or control characters, or is reserved
     */
    public Location resolve(String relativeName) {
        Location location = root.resolve(relativeName);
        if (reservedNames.contains(relativeName)) {
            throw new InvalidLocationException(relativeName, "'" + relativeName
                    + "' is reserved for the commit protocol inside a checkpoint");
        }
        return location;
    }

    /** Writes {@code data} as {@code relativeName}, replacing an earlier write of the same name. */
    public ObjectInfo write(String relativeName, byte[] data) {
        Location target = resolve(relativeName);
        return staged(checked(() -> store.write(target, data, PutMode.OVERWRITE)));
    }

    /** Writes an object's bytes to a stream; may fail half way. */
    @FunctionalInterface
    public interface Producer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Lets {@code producer} write {@code relativeName} and publishes it only if the producer returns normally; if
     * it throws, nothing is published and the exception is rethrown (an {@link IOException} as an
     * {@link UncheckedIOException}).
     */
    public ObjectInfo write(String relativeName, Producer producer) {
        StagedOutputStream out = openOutputStream(relativeName);
        try {
            producer.writeTo(out);
        } catch (IOException failed) {
            abortQuietly(out, failed);
            throw new UncheckedIOException("the producer of " + relativeName + " failed; nothing was published", failed);
        } catch (RuntimeException | Error failed) {
            abortQuietly(out, failed);
            throw failed;
        }
        return staged(checked(() -> {
            try {
                out.close();
            } catch (IOException e) {
                throw Store.fromIo("put", out.target(), e);
            }
            return out.result().orElseThrow();
        }));
    }

    private static void abortQuietly(StagedOutputStream out, Throwable failed) {
        try {
            out.abort();
        } catch (IOException suppressed) {
            failed.addSuppressed(suppressed);
        }
    }

    /**
     * An output stream whose bytes become {@code relativeName} when it is closed; nothing is visible before. If
     * the code writing it can fail, call {@link StagedOutputStream#abort()} on failure, or use
     * {@link #write(String, Producer)}.
     * Small objects are buffered in memory, large ones in a local temporary file.
     */
    public StagedOutputStream openOutputStream(String relativeName) {
        return new StagedOutputStream(store, resolve(relativeName));
    }

    /**
     * Uploads every regular file below {@code localDirectory}, keeping relative paths, in parallel.
     * Symbolic links are refused rather than followed, so the upload cannot pick up files from elsewhere.
     *
     * @return how many files and bytes were uploaded
     */
    public UploadSummary uploadDirectory(Path localDirectory) {
        if (!Files.isDirectory(localDirectory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(localDirectory + " is not a directory (symbolic links are not followed)");
        }
        AtomicLong files = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        try (OrderedPipeline<ObjectInfo> uploads = new OrderedPipeline<>("upload", concurrency, info -> {
            files.incrementAndGet();
            bytes.addAndGet(info.size());
        })) {
            Files.walkFileTree(localDirectory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isSymbolicLink()) {
                        throw new IllegalArgumentException("refusing to upload symbolic link " + file);
                    }
                    if (attrs.isRegularFile()) {
                        Location target = resolve(relativeName(localDirectory, file));
                        uploads.submit(() -> staged(checked(() -> store.writeFile(target, file, PutMode.OVERWRITE))));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            uploads.drain();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + localDirectory, e);
        }
        return new UploadSummary(files.get(), bytes.get());
    }

    private static String relativeName(Path base, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : base.relativize(file)) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    /** Counts of an {@link #uploadDirectory} call. */
    public static final class UploadSummary {
        private final long files;
        private final long bytes;

        UploadSummary(long files, long bytes) {
            this.files = files;
            this.bytes = bytes;
        }

        public long files() {
            return files;
        }

        public long bytes() {
            return bytes;
        }

        @Override
        public String toString() {
            return files + " files, " + bytes + " bytes";
        }
    }

    @Override
    public String toString() {
        return "StagingArea{" + root + "}";
    }
}
