package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/**
 * Core's store conformance suite on S3Mock with the default settings: small writes are one PutObject, copies are
 * CopyObject, except create-only copies, which the probe sends down the multipart path because S3Mock ignores
 * If-None-Match on CopyObject ({@link S3MockGapsTest}). Every condition is therefore observed for real.
 */
class S3ObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected StoreUnderTest subject() {
        return S3MockStores.fixture();
    }
}
