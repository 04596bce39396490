package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.Messages;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The Hadoop {@link FileSystem} of the plug-in's schemes ({@code acgs}, {@code acs3}, {@code acaz}), found by
 * Hadoop through {@code META-INF/services}. Spark needs one to resolve and qualify a checkpoint location and to
 * look at it before a query starts; every checkpoint file itself goes through {@link AtomicCheckpointFileManager}.
 * It has no rename (object stores would copy): {@link #rename} throws, so nothing can use it for Spark's default
 * write-then-rename manager by mistake. A create is one put on close, as in the manager.
 */
public abstract class StoreFileSystem extends FileSystem {
    private URI uri;
    private Path workingDirectory;
    private StoreFiles files;

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        if (name.getAuthority() == null || name.getAuthority().isEmpty()) {
            throw new IOException("no bucket in " + Messages.quote(name) + ": expected " + getScheme()
                    + "://<bucket>/<key>");
        }
        this.uri = URI.create(getScheme() + "://" + name.getAuthority());
        this.workingDirectory = new Path(uri.toString() + "/");
        this.files = new StoreFiles(HadoopSettings.from(conf));
        setConf(conf);
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        return new FSDataInputStream(files.open(qualify(path)));
    }

    @Override
    public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize,
            short replication, long blockSize, Progressable progress) throws IOException {
        return files.create(qualify(path), overwrite);
    }

    @Override
    public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) throws IOException {
        throw new IOException("append is not supported on " + getScheme() + ":// (" + Messages.quote(path)
                + "): objects are written whole");
    }

    @Override
    public boolean rename(Path source, Path target) throws IOException {
        throw new IOException("rename is not supported on " + getScheme() + ":// (" + Messages.quote(source)
                + "): an object store renames by copying; use io.atomiccheckpoint.spark.AtomicCheckpointFileManager"
                + " as spark.sql.streaming.checkpointFileManagerClass");
    }

    @Override
    public boolean delete(Path path, boolean recursive) throws IOException {
        Path qualified = qualify(path);
        if (!recursive && files.status(qualified).isDirectory() && files.list(qualified, p -> true).length > 0) {
            throw new PathIsNotEmptyDirectoryException(qualified.toString());
        }
        return files.delete(qualified);
    }

    @Override
    public FileStatus[] listStatus(Path path) throws IOException {
        Path qualified = qualify(path);
        FileStatus status = files.status(qualified);
        return status.isDirectory() ? files.list(qualified, p -> true) : new FileStatus[] {status};
    }

    @Override
    public void setWorkingDirectory(Path directory) {
        workingDirectory = qualify(directory);
    }

    @Override
    public Path getWorkingDirectory() {
        return workingDirectory;
    }

    @Override
    public boolean mkdirs(Path path, FsPermission permission) throws IOException {
        files.mkdirs(qualify(path));
        return true;
    }

    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
        return files.status(qualify(path));
    }

    private Path qualify(Path path) {
        return path.makeQualified(uri, workingDirectory);
    }

    /** {@code acgs://bucket/key}: Google Cloud Storage through the library's GCS store. */
    public static final class Gcs extends StoreFileSystem {
        @Override
        public String getScheme() {
            return "acgs";
        }
    }

    /** {@code acs3://bucket/key}: Amazon S3 (and S3-compatible stores) through the library's S3 store. */
    public static final class S3 extends StoreFileSystem {
        @Override
        public String getScheme() {
            return "acs3";
        }
    }

    /** {@code acaz://container/key}: Azure Blob Storage through the library's Azure store. */
    public static final class Azure extends StoreFileSystem {
        @Override
        public String getScheme() {
            return "acaz";
        }
    }
}
