package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobalStorageStatistics;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageStatistics;

/**
 * The Cloud Storage connector for Hadoop (gcs-connector, shaded) on fake-gcs-server, at its defaults, pointed
 * at the emulator with {@code fs.gs.storage.root.url}. Its HTTP client is shaded out of reach, so requests are
 * counted from its own statistic {@code gcs_api_total_request_count}, a total without kinds.
 */
final class GcsConnectorRename implements HadoopRename {
    private static final String REQUESTS = "gcs_api_total_request_count";
    /** Held so the level sticks: the connector logs its periodic metrics and directory repairs at INFO. */
    private static final java.util.logging.Logger CONNECTOR_LOG = quiet();

    private final FileSystem fs;
    private final RequestCounts wire;

    GcsConnectorRename(String bucket, int port, String project, RequestCounts wire) {
        this.wire = wire;
        Configuration conf = new Configuration();
        conf.set("fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
        conf.set("fs.gs.storage.root.url", "http://127.0.0.1:" + port + "/");
        conf.set("fs.gs.auth.type", "UNAUTHENTICATED");
        conf.set("fs.gs.project.id", project);
        try {
            fs = FileSystem.newInstance(URI.create("gs://" + bucket + "/"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the GCS connector on the emulator", e);
        }
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("com.google.cloud.hadoop");
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    @Override
    public String name() {
        return "gcs-connector";
    }

    private static Path path(Location location) {
        return new Path("gs://" + location.bucket() + "/" + location.key());
    }

    @Override
    public void prepare(Location directory) {
        try {
            fs.mkdirs(path(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("gcs-connector mkdirs " + directory, e);
        }
    }

    @Override
    public void rename(Location source, Location target) {
        long before = requests();
        try {
            if (!fs.rename(path(source), path(target))) {
                throw new IllegalStateException("gcs-connector rename of " + source + " to " + target
                        + " returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gcs-connector rename " + source + " to " + target, e);
        }
        wire.add("api (connector total)", requests() - before);
    }

    /** The connector's process-wide request count. */
    private static long requests() {
        Iterator<StorageStatistics> all = GlobalStorageStatistics.INSTANCE.iterator();
        while (all.hasNext()) {
            Long n = all.next().getLong(REQUESTS);
            if (n != null) {
                return n;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException e) {
            // Closing only releases the connector's threads; nothing is lost.
        }
    }
}
