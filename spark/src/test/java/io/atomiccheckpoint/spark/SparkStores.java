package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import io.atomiccheckpoint.testkit.Stores;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The stores the Spark tests run on, as Spark sees them: a Hadoop path for a fresh scratch location and the
 * Hadoop settings ({@code atomiccheckpoint.<setting>}) that open the store. Each emulator starts on first use.
 */
final class SparkStores {
    /** One store: its fixture, opened lazily so that naming it starts no emulator. */
    record SparkStore(String name, Supplier<StoreUnderTest> fixture) {
        /** A fresh scratch directory as a Hadoop path on the plug-in's scheme. */
        Path newScratchPath() {
            StoreUnderTest under = fixture.get();
            under.store(); // opening the fixture's store makes its bucket or container
            return toHadoopPath(under.newScratchLocation());
        }

        /** The settings as Spark passes them: {@code spark.hadoop.} stripped, as in a session's Hadoop conf. */
        Map<String, String> hadoopSettings() {
            Map<String, String> out = new TreeMap<>();
            fixture.get().config().asMap().forEach((k, v) -> out.put(HadoopSettings.PREFIX + k, v));
            return out;
        }

        Configuration hadoopConf() {
            Configuration conf = new Configuration(false);
            hadoopSettings().forEach(conf::set);
            return conf;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final SparkStore FILESYSTEM = new SparkStore("filesystem", Stores::filesystem);
    static final SparkStore S3MOCK = new SparkStore("s3 (S3Mock)", S3MockStores::fixture);
    static final SparkStore LOCALSTACK = new SparkStore("s3 (LocalStack)", LocalStackStores::fixture);
    static final SparkStore GCS = new SparkStore("gcs (fake-gcs-server)", FakeGcsStores::fixture);
    static final SparkStore AZURE = new SparkStore("azure (Azurite)", AzuriteStores::fixture);

    private SparkStores() {
    }

    static List<SparkStore> all() {
        return List.of(FILESYSTEM, S3MOCK, LOCALSTACK, GCS, AZURE);
    }

    /** The plug-in's Hadoop path for a location: {@code acgs}, {@code acs3}, {@code acaz} or {@code file}. */
    static Path toHadoopPath(Location location) {
        switch (location.scheme()) {
            case FILE:
                return new Path(location.toPath().toUri());
            case GCS:
                return new Path("acgs://" + location.bucket() + "/" + location.key());
            case S3:
                return new Path("acs3://" + location.bucket() + "/" + location.key());
            case AZURE:
                return new Path("acaz://" + location.bucket() + "/" + location.key());
            default:
                throw new IllegalArgumentException("the Spark plug-in does not serve " + location);
        }
    }
}
