package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.TemporaryPathContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's {@code TemporaryPathContract} (both commit strategies) on fake-gcs-server.
 *
 * <p>Emulator gap: fake-gcs-server's rewrite ignores {@code ifGenerationMatch=0}
 * ({@code FakeGcsServerBehaviourTest.emulatorGapRewriteIgnoresIfGenerationMatchZeroAndOverwritesTheTarget}), and
 * the contract's conflict, resume and concurrent-commit tests depend on create-only copies being refused. So
 * this suite runs with {@code gcs.createOnlyCopy=download-upload}, whose create-only upload the emulator does
 * enforce. Server-side rewrites are covered by the store contract, the 20 MiB copy test and
 * {@link GcsCheckpointFlowContractTest}, which run with the default {@code rewrite}.
 */
class GcsTemporaryPathContractTest extends TemporaryPathContract {
    private static GcsObjectStore store;

    @BeforeAll
    static void openStore() {
        store = FakeGcsStores.open(FakeGcsStores.config().with("gcs.createOnlyCopy", "download-upload"));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected Location newScratchLocation() {
        return FakeGcsStores.newScratchLocation();
    }
}
