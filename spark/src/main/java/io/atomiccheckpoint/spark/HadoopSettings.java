package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.store.StoreConfig;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The library's settings (SETTINGS.md) as Hadoop configuration keys: {@code atomiccheckpoint.<setting>}, which
 * Spark fills from {@code spark.hadoop.atomiccheckpoint.<setting>}. For example
 * {@code spark.hadoop.atomiccheckpoint.s3.endpoint=http://127.0.0.1:9090} sets {@code s3.endpoint}.
 */
final class HadoopSettings {
    /** The Hadoop key prefix of every setting. */
    static final String PREFIX = "atomiccheckpoint.";

    private HadoopSettings() {
    }

    /** The settings found in {@code conf}; values may be secrets, and {@link StoreConfig} never prints them. */
    static StoreConfig from(Configuration conf) {
        Map<String, String> values = new TreeMap<>();
        if (conf != null) {
            // getPropsWithPrefix strips the prefix and resolves ${...} substitutions as get() does.
            values.putAll(conf.getPropsWithPrefix(PREFIX));
        }
        return StoreConfig.of(values);
    }
}
