package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.s3.testing.SerializedCreateOnlyWrites;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's store conformance suite on S3Mock with the default settings: small writes are one PutObject, copies
 * are CopyObject, except create-only copies, which the probe sends down the multipart path because S3Mock
 * ignores If-None-Match on CopyObject (see {@link S3MockGapsTest}). The create-only copy refusal below is
 * therefore observed for real, on CompleteMultipartUpload. Create-only writes to one key take turns in this
 * JVM ({@link SerializedCreateOnlyWrites}) because S3Mock's If-None-Match check is not atomic.
 */
class S3ObjectStoreContractTest extends ObjectStoreContract {
    private static S3ObjectStore store;
    private static ObjectStore racing;

    @BeforeAll
    static void openStore() {
        store = S3MockStores.open();
        racing = new SerializedCreateOnlyWrites(store);
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    /** Through {@link SerializedCreateOnlyWrites}: S3Mock's create-only check is not atomic under concurrency. */
    @Override
    protected ObjectStore store() {
        return racing;
    }

    @Override
    protected Location newScratchLocation() {
        return S3MockStores.newScratchLocation();
    }
}
