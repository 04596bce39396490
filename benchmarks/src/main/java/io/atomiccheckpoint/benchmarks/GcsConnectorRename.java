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
final class GcsConnectorRename extends ConnectorRename {
    private static final String REQUESTS = "gcs_api_total_request_count";
    /** Held so the level sticks: the connector logs its periodic metrics and directory repairs at INFO. */
    private static final java.util.logging.Logger CONNECTOR_LOG = quiet();

    private final RequestCounts wire;

    GcsConnectorRename(String bucket, int port, String project, RequestCounts wire) {
        super(open(bucket, port, project), "gcs-connector");
        this.wire = wire;
    }

    private static FileSystem open(String bucket, int port, String project) {
        Configuration conf = new Configuration();
        conf.set("fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
        conf.set("fs.gs.storage.root.url", "http://127.0.0.1:" + port + "/");
        conf.set("fs.gs.auth.type", "UNAUTHENTICATED");
        conf.set("fs.gs.project.id", project);
        try {
            return FileSystem.newInstance(URI.create("gs://" + bucket + "/"), conf);
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

    @Override
    Path path(Location location) {
        return new Path("gs://" + location.bucket() + "/" + location.key());
    }

    /** Counts the connector's requests around the rename: its HTTP client is shaded out of our reach. */
    @Override
    public void rename(Location source, Location target) {
        long before = requests();
        super.rename(source, target);
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
}
