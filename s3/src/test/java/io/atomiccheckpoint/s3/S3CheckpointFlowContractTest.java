package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.testkit.CheckpointFlowContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/**
 * Core's {@code CheckpointFlowContract} on S3Mock: create, four threads writing 200 objects, commit across several
 * ListObjectsV2 pages, deep validation, listing, deletion of one checkpoint and clean-up of an abandoned temporary.
 */
class S3CheckpointFlowContractTest extends CheckpointFlowContract {
    @Override
    protected StoreUnderTest subject() {
        return S3MockStores.fixture();
    }
}
