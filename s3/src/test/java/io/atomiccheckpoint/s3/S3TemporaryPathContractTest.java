package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.s3.testing.SerializedCreateOnlyWrites;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.testkit.TemporaryPathContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's {@code TemporaryPathContract} (PrefixCopyCommit and CommitInPlace) on S3Mock, with default settings:
 * the probe finds S3Mock's CopyObject ignoring If-None-Match, so create-only copies are multipart copies
 * completed create-only. Concurrent create-only writes to one key take turns ({@link SerializedCreateOnlyWrites})
 * because S3Mock's check is not atomic.
 */
class S3TemporaryPathContractTest extends TemporaryPathContract {
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

    @Override
    protected ObjectStore store() {
        return racing;
    }

    @Override
    protected Location newScratchLocation() {
        return S3MockStores.newScratchLocation();
    }
}
