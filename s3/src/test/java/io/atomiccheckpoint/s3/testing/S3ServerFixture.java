package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the S3 servers under test (S3Mock, LocalStack) share as fixtures of the suites: a store opened once with
 * {@link #config()}, every request it sends recorded by {@link #wire()}, closed when the JVM exits. A subclass says
 * what stands between the store and its server ({@link #between}) and which gaps its server has.
 */
public abstract class S3ServerFixture implements StoreUnderTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong COUNTER = new AtomicLong();

    private final String name;
    private final StoreConfig config;
    private final RecordingInterceptor wire = new RecordingInterceptor();
    private Store store;

    /** A fixture named {@code name} whose store is opened, on first use, with {@code config}. */
    protected S3ServerFixture(String name, StoreConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Settings for the S3 store on a test server at {@code endpoint}: path-style, anonymous (both servers accept
     * it), 32 requests in flight, a short retry budget.
     */
    public static StoreConfig configFor(String endpoint) {
        return StoreConfig.empty()
                .with("s3.endpoint", endpoint)
                .with("s3.region", "us-east-1")
                .with("s3.pathStyle", "true")
                .with("s3.credentials", "anonymous")
                .with("s3.maxConcurrency", "32")
                .with("s3.retry.maxAttempts", "3");
    }

    /** A location in {@code bucket} that no other call in this JVM returns, below which a test may write. */
    public static Location newScratchLocation(String bucket) {
        return Location.parse("s3://" + bucket + "/run-" + RUN + "/t" + COUNTER.incrementAndGet());
    }

    /** What the facade calls instead of the store itself; the store unless the server needs help. */
    protected ObjectStore between(S3ObjectStore s3) {
        return s3;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Opened on first use and shared; closed when the JVM exits. */
    @Override
    public final synchronized Store store() {
        if (store == null) {
            S3ObjectStore s3 = S3ObjectStore.builder().config(config)
                    .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build();
            Store opened = Store.of(between(s3));
            Runtime.getRuntime().addShutdownHook(new Thread(opened::close, "close-" + name));
            store = opened;
        }
        return store;
    }

    /** The S3 store behind the facade (and behind any wrapper). */
    public final S3ObjectStore s3() {
        return store().unwrap(S3ObjectStore.class).orElseThrow();
    }

    /** Every request the store has sent. */
    public final RecordingInterceptor wire() {
        return wire;
    }

    @Override
    public final StoreConfig config() {
        return config;
    }

    @Override
    public final String toString() {
        return name;
    }
}
