package io.atomiccheckpoint.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * {@link S3WireCounter} in the shape S3A loads from {@code fs.s3a.audit.execution.interceptors}: S3A builds it
 * by reflection with no arguments and hands it the filesystem's configuration, so it finds the counts to add
 * to through a registration key in that configuration.
 */
public final class S3aWireCounter implements ExecutionInterceptor, Configurable {
    /** The configuration key naming the registered counts. */
    static final String KEY = "atomiccheckpoint.bench.s3a.counts";
    private static final Map<String, RequestCounts> REGISTERED = new ConcurrentHashMap<>();

    private Configuration conf;
    private S3WireCounter delegate;

    /** S3A's reflection needs a public no-argument constructor. */
    public S3aWireCounter() {
    }

    static void register(String id, RequestCounts counts) {
        REGISTERED.put(id, counts);
    }

    static void unregister(String id) {
        REGISTERED.remove(id);
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
        RequestCounts counts = REGISTERED.get(conf.get(KEY, ""));
        if (counts == null) {
            throw new IllegalStateException("no request counts registered under " + KEY + "=" + conf.get(KEY));
        }
        delegate = new S3WireCounter(counts);
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (delegate == null) {
            // Uncounted requests would make S3A look cheaper than it is: fail the rename instead.
            throw new IllegalStateException("S3A did not pass its configuration to " + getClass().getSimpleName());
        }
        delegate.beforeTransmission(context, attributes);
    }
}
