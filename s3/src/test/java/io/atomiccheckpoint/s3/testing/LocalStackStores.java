package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.List;

/**
 * The S3 store on the shared {@link LocalStackServer}, for this module's tests and for the integration-tests
 * module: settings, stores, fresh scratch locations in a test bucket, and the
 * {@link io.atomiccheckpoint.testkit.StoreUnderTest} fixture the contracts run on.
 */
public final class LocalStackStores {
    /** The bucket every test writes into; the launcher creates it at start. */
    public static final String BUCKET = "atomic-checkpoint-test";

    private LocalStackStores() {
    }

    /** The server of this JVM, started on first use. */
    public static LocalStackServer server() {
        return LocalStackServer.shared(List.of(BUCKET));
    }

    /** Settings pointing at the shared server: path-style, anonymous (LocalStack accepts it), a short retry budget. */
    public static StoreConfig config() {
        return config(server());
    }

    /** Settings pointing at {@code server}. */
    public static StoreConfig config(LocalStackServer server) {
        return S3ServerFixture.configFor(server.endpoint());
    }

    /** A new facade over a store on the shared server with {@link #config()}; the caller closes it. */
    public static Store open() {
        return Store.of(open(config()));
    }

    /** A new store with {@code config}, not yet behind the facade; the caller closes it. */
    public static S3ObjectStore open(StoreConfig config) {
        return S3ObjectStore.open(config);
    }

    /** A location no other call returns, below which a test may write. */
    public static Location newScratchLocation() {
        return S3ServerFixture.newScratchLocation(BUCKET);
    }

    /** The store with its defaults (the probe decides how create-only copies are made), shared by the JVM. */
    public static LocalStackFixture fixture() {
        return Fixtures.DEFAULT;
    }

    /** Created on first use, so that the server starts only when a test needs it. */
    private static final class Fixtures {
        static final LocalStackFixture DEFAULT = new LocalStackFixture("s3 (LocalStack)", config());
    }
}
