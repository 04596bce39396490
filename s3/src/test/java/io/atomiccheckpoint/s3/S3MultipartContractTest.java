package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/**
 * Core's store conformance suite again with every multipart path forced: writes above 1 MiB are multipart uploads
 * in 5 MiB parts (the large-object test writes 11 MiB, three parts), and every copy is a multipart UploadPartCopy
 * copy.
 */
class S3MultipartContractTest extends ObjectStoreContract {
    @Override
    protected StoreUnderTest subject() {
        return S3MockStores.multipartFixture();
    }

    @Override
    protected int largeObjectBytes() {
        return 11 * 1024 * 1024 + 17;
    }
}
