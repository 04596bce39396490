package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/**
 * Core's store conformance suite on fake-gcs-server with {@code gcs.createOnlyCopy=download-upload}: the emulator
 * enforces upload conditions and generation reads, so here every copy refusal is observed, none is a hook.
 */
class GcsDownloadUploadContractTest extends ObjectStoreContract {
    @Override
    protected StoreUnderTest subject() {
        return FakeGcsStores.downloadUploadFixture();
    }
}
