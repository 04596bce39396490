package io.atomiccheckpoint.it;

import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.List;

/**
 * One store the shared suite runs on: testkit's {@link StoreUnderTest} (the store, its scratch locations and
 * the settings a child JVM opens it with) plus what only this suite needs: fault injection below the SDK and
 * fake credentials. The suite only talks to stores through this, so adding a store means adding a fixture.
 */
interface StoreFixture extends StoreUnderTest {

    /**
     * A store whose HTTP layer (SDK interceptor, pipeline policy or transport) fails about {@code rate} of
     * requests with {@code fault}; the store's own retries then have to cope. The caller closes it.
     */
    Store storeWithFaults(double rate, Fault fault, long seed);

    /**
     * Which requests decide create-only writes (the lease, copies into the final location, the marker) on this
     * row, as the store reports it where it can (the S3 store's probe, the GCS store's copy setting), for the
     * evidence table. Also says when the test itself makes racers take turns.
     */
    String createOnlyMechanism();

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
