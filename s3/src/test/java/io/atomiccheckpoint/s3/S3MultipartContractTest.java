package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.s3.testing.SerializedCreateOnlyWrites;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's store conformance suite again with every multipart path forced: writes above 1 MiB are multipart
 * uploads in 5 MiB parts (the large-object test writes 11 MiB, three parts), and every copy is a multipart
 * UploadPartCopy copy (threshold 0).
 */
class S3MultipartContractTest extends ObjectStoreContract {
    private static S3ObjectStore store;
    private static ObjectStore racing;

    @BeforeAll
    static void openStore() {
        store = S3MockStores.open(S3MockStores.config()
                .with("s3.multipartUploadThresholdBytes", Integer.toString(1024 * 1024))
                .with("s3.multipartPartSizeBytes", Integer.toString(5 * 1024 * 1024))
                .with("s3.multipartCopyThresholdBytes", "0")
                .with("s3.multipartCopyPartSizeBytes", Integer.toString(5 * 1024 * 1024)));
        racing = new SerializedCreateOnlyWrites(store);
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected int largeObjectBytes() {
        return 11 * 1024 * 1024 + 17;
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
