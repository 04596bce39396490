package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import io.atomiccheckpoint.testkit.TemporaryPathContract;

/** Core's {@code TemporaryPathContract} (PrefixCopyCommit and CommitInPlace) on LocalStack with the store's defaults. */
class LocalStackTemporaryPathContractTest extends TemporaryPathContract {
    @Override
    protected StoreUnderTest subject() {
        return LocalStackStores.fixture();
    }
}
