package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.List;

/**
 * One store the shared suite runs on: the filesystem, or a cloud store against its emulator. The suite
 * only talks to stores through this, so adding a store means adding a fixture.
 */
interface StoreFixture {
    /** Short name for test names and the evidence table: {@code filesystem}, {@code s3}, {@code gcs}, {@code azure}. */
    String name();

    /** A store connected to the running emulator (started on first use, stopped at JVM exit). */
    ObjectStore store();

    /**
     * The configuration a child JVM passes to {@code ObjectStores.open} to reach the same store. Contains
     * only emulator settings, never real credentials.
     */
    StoreConfig childConfig();

    /** A fresh location no other test uses. */
    Location newScratchLocation();

    /**
     * A store whose HTTP layer (SDK interceptor, pipeline policy or transport) fails about {@code rate} of
     * requests with {@code fault}; the store's own retries then have to cope. The caller closes it.
     */
    ObjectStore storeWithFaults(double rate, Fault fault, long seed);

    /** The faults this store's HTTP layer can inject. */
    List<Fault> supportedFaults();

    /**
     * Store configurations that carry recognisable fake credentials and still reach the emulator, one per
     * credential form the store accepts; empty for a store without credentials.
     */
    List<StoreConfig> fakeCredentialConfigs();

    /** The secret strings inside {@link #fakeCredentialConfigs()}, which must never be printed. */
    List<String> fakeSecrets();

    /** The kinds of failure injected at the HTTP layer. */
    enum Fault {
        /** The service answers 503 Service Unavailable. */
        HTTP_503,
        /** The connection is reset before a response. */
        CONNECTION_RESET,
        /** The request times out. */
        TIMEOUT
    }
}
