package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The part every Hadoop peer shares once its connector is open: directories made with {@code mkdirs}, one
 * {@code FileSystem.rename} checked for {@code false}, and closing. Subclasses open the connector and map
 * locations to its paths.
 */
abstract class ConnectorRename implements HadoopRename {
    private final FileSystem fs;
    private final String label;

    /** {@code label} names the connector in error messages, for example {@code S3A}. */
    ConnectorRename(FileSystem fs, String label) {
        this.fs = fs;
        this.label = label;
    }

    /** The connector's path for {@code location}. */
    abstract Path path(Location location);

    @Override
    public void prepare(Location directory) {
        try {
            fs.mkdirs(path(directory));
        } catch (IOException e) {
            throw new UncheckedIOException(label + " mkdirs " + directory, e);
        }
    }

    @Override
    public void rename(Location source, Location target) {
        try {
            if (!fs.rename(path(source), path(target))) {
                throw new IllegalStateException(label + " rename of " + source + " to " + target + " returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(label + " rename " + source + " to " + target, e);
        }
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException e) {
            // Closing only releases the connector's threads and connections; nothing is lost.
        } finally {
            afterClose();
        }
    }

    /** Releases what the subclass registered for counting requests. */
    void afterClose() {
    }
}
