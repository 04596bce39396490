package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.VersionInfo;

/**
 * hadoop-aws's S3A connector on S3Mock, at its copy and delete defaults, pointed at the emulator through the
 * route's port. Its requests are counted by {@link S3aWireCounter}, which S3A adds to its own SDK clients.
 */
final class S3aRename extends ConnectorRename {
    private final String countsId;

    S3aRename(String bucket, int port, RequestCounts wire) {
        this(bucket, port, wire, UUID.randomUUID().toString());
    }

    private S3aRename(String bucket, int port, RequestCounts wire, String countsId) {
        super(open(bucket, port, wire, countsId), "S3A");
        this.countsId = countsId;
    }

    private static FileSystem open(String bucket, int port, RequestCounts wire, String countsId) {
        S3aWireCounter.register(countsId, wire);
        try {
            return FileSystem.newInstance(URI.create("s3a://" + bucket + "/"), configuration(port, countsId));
        } catch (IOException | RuntimeException e) {
            S3aWireCounter.unregister(countsId);
            throw new IllegalStateException("cannot open S3A on the emulator: " + e, e);
        }
    }

    /**
     * Every setting S3A gets, as the regime notes quote them; everything else, its rename's copy parallelism and
     * delete page size included, is S3A's default.
     */
    static Map<String, String> settings(String endpoint) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint);
        s.put("fs.s3a.endpoint.region", "us-east-1");
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        // S3Mock accepts unsigned requests, as our store's anonymous mode sends them.
        s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
        s.put("fs.s3a.audit.execution.interceptors", S3aWireCounter.class.getName());
        return s;
    }

    private static Configuration configuration(int port, String countsId) {
        Configuration conf = new Configuration();
        settings("http://127.0.0.1:" + port).forEach(conf::set);
        conf.set(S3aWireCounter.KEY, countsId);
        return conf;
    }

    @Override
    public String name() {
        return "hadoop-aws " + VersionInfo.getVersion() + " S3A";
    }

    @Override
    Path path(Location location) {
        return new Path("s3a://" + location.bucket() + "/" + location.key());
    }

    @Override
    void afterClose() {
        S3aWireCounter.unregister(countsId);
    }
}
