package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import io.atomiccheckpoint.testkit.TemporaryPathContract;

/**
 * Core's {@code TemporaryPathContract} (both commit strategies) on fake-gcs-server. Its conflict, resume and
 * concurrent-commit tests need create-only and pinned copies refused, which the emulator does only for uploads, so
 * it runs with download-upload copies; server-side rewrites are covered by the store contract and
 * {@link GcsCheckpointFlowContractTest}.
 */
class GcsTemporaryPathContractTest extends TemporaryPathContract {
    @Override
    protected StoreUnderTest subject() {
        return FakeGcsStores.downloadUploadFixture();
    }
}
