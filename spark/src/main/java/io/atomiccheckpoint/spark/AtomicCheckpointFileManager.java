package io.atomiccheckpoint.spark;

import java.io.IOException;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;

/**
 * A Spark Structured Streaming {@link CheckpointFileManager} on the library's stores, so that a query's offsets
 * and commits logs, its metadata and its state-store files are written to GCS, S3, Azure Blob Storage or a local
 * disk without a rename. Configure it with
 * {@code spark.sql.streaming.checkpointFileManagerClass=io.atomiccheckpoint.spark.AtomicCheckpointFileManager}
 * and a checkpoint location on {@code acgs://}, {@code acs3://}, {@code acaz://} or {@code file://} (see
 * {@link CheckpointPaths}); settings come from {@code spark.hadoop.atomiccheckpoint.<setting>}.
 *
 * <p>{@code createAtomic(path, false)} is one create-only put when the stream closes ({@code ifGenerationMatch=0},
 * {@code If-None-Match: *}, a hard link): no temporary file, no rename, no check before the write. When another
 * writer (a zombie run of the same query) wrote the file first, {@code close()} throws
 * {@link org.apache.hadoop.fs.FileAlreadyExistsException} and the winner's bytes stay. With
 * {@code overwriteIfPossible=true} it is one replacing put, which readers see whole or not at all.
 * {@code cancel()} writes nothing. {@code delete} is recursive, as Spark expects, and {@code mkdirs} leaves an
 * empty marker object on object stores so that an empty directory exists.
 */
public final class AtomicCheckpointFileManager implements CheckpointFileManager {
    private final Path root;
    private final StoreFiles files;

    /** The constructor Spark calls: the checkpoint root and the session's Hadoop configuration. */
    public AtomicCheckpointFileManager(Path path, Configuration hadoopConf) {
        this.root = path;
        this.files = new StoreFiles(HadoopSettings.from(hadoopConf));
        try {
            StoreFiles.location(path);
        } catch (IOException unserved) {
            throw new IllegalArgumentException(unserved.getMessage(), unserved);
        }
    }

    @Override
    public CancellableFSDataOutputStream createAtomic(Path path, boolean overwriteIfPossible) {
        return rethrowing(() -> files.create(path, overwriteIfPossible));
    }

    @Override
    public FSDataInputStream open(Path path) {
        return rethrowing(() -> new FSDataInputStream(files.open(path)));
    }

    @Override
    public FileStatus[] list(Path path, PathFilter filter) {
        return rethrowing(() -> files.list(path, filter));
    }

    @Override
    public void mkdirs(Path path) {
        rethrowing(() -> {
            files.mkdirs(path);
            return null;
        });
    }

    @Override
    public boolean exists(Path path) {
        return rethrowing(() -> files.exists(path));
    }

    @Override
    public void delete(Path path) {
        rethrowing(() -> files.delete(path));
    }

    @Override
    public boolean isLocal() {
        String scheme = root.toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    @Override
    public Path createCheckpointDirectory() {
        Path qualified = root.toUri().getScheme() != null ? root
                : new Path(Paths.get(root.toUri().getPath()).toAbsolutePath().toUri());
        mkdirs(qualified);
        return qualified;
    }

    private interface IoBody<T> {
        T run() throws IOException;
    }

    /**
     * Spark's Scala callers catch {@link IOException}s such as {@code FileNotFoundException} and
     * {@code FileAlreadyExistsException} although the Java signatures declare none: they are thrown unchanged.
     */
    private static <T> T rethrowing(IoBody<T> body) {
        try {
            return body.run();
        } catch (IOException e) {
            throw Sneaky.<RuntimeException>rethrow(e);
        }
    }

    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> E rethrow(Throwable t) throws E {
            throw (E) t;
        }
    }
}
