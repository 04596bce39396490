package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.ConditionalWriteSupport;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.s3.S3Settings;
import io.atomiccheckpoint.store.Store;

/** Names the create-only requests an S3 store sends to a bucket, from its settings and what its probe saw. */
final class S3Mechanism {
    private S3Mechanism() {
    }

    static String describe(Store store, Location inBucket) {
        S3ObjectStore s3 = store.unwrap(S3ObjectStore.class).orElseThrow();
        ConditionalWriteSupport support = s3.conditionalWriteSupport(inBucket);
        S3Settings.CreateOnlyCopy copy = s3.settings().createOnlyCopy();
        boolean copyObject = copy == S3Settings.CreateOnlyCopy.COPY_OBJECT
                || copy == S3Settings.CreateOnlyCopy.AUTO && support.copyObject();
        String copies = copyObject
                ? "CopyObject with If-None-Match: *" + (support.copyObject() ? "" : " (not enforced by this server)")
                : "multipart copy, CompleteMultipartUpload with If-None-Match: *";
        return "PutObject with If-None-Match: *; copies by " + copies + " (" + (support.probed() ? "probed" : "assumed")
                + ")";
    }
}
