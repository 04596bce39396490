package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import io.atomiccheckpoint.testkit.TemporaryPathContract;

/** Core's {@code TemporaryPathContract} (PrefixCopyCommit and CommitInPlace) on S3Mock with the default settings. */
class S3TemporaryPathContractTest extends TemporaryPathContract {
    @Override
    protected StoreUnderTest subject() {
        return S3MockStores.fixture();
    }
}
