package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;

/**
 * The S3 store on the shared {@link S3MockServer}, for this module's tests and for the integration-tests and
 * benchmarks modules: settings, stores, fresh scratch locations in a test bucket, and the
 * {@link io.atomiccheckpoint.testkit.StoreUnderTest} fixtures the contracts run on.
 */
public final class S3MockStores {
    /** The bucket every test writes into; the server creates it at start. */
    public static final String BUCKET = "atomic-checkpoint-test";
    /**
     * A bucket of its own for tests of scale: S3Mock's per-request cost grows with the number of objects in the
     * bucket, so thousands of objects are kept apart from the other tests'.
     */
    public static final String SCALE_BUCKET = "atomic-checkpoint-scale";

    private S3MockStores() {
    }

    /** Settings pointing at the shared server: path-style, anonymous, a short retry budget. */
    public static StoreConfig config() {
        return config(S3MockServer.shared());
    }

    /** Settings pointing at {@code server}. */
    public static StoreConfig config(S3MockServer server) {
        return S3ServerFixture.configFor(server.endpoint());
    }

    /** A new facade over a store on the shared server with {@link #config()}; the caller closes it. */
    public static Store open() {
        return Store.of(open(config()));
    }

    /** A new store with {@code config}, not yet behind the facade (to wrap it first); the caller closes it. */
    public static S3ObjectStore open(StoreConfig config) {
        return S3ObjectStore.open(config);
    }

    /** A location no other call returns, below which a test may write. */
    public static Location newScratchLocation() {
        return newScratchLocation(BUCKET);
    }

    /** A location no other call returns in {@code bucket} ({@link #BUCKET} or {@link #SCALE_BUCKET}). */
    public static Location newScratchLocation(String bucket) {
        return S3ServerFixture.newScratchLocation(bucket);
    }

    /** The store with its defaults ({@code s3.createOnlyCopy=auto}), shared by the JVM: "s3 (S3Mock)". */
    public static S3MockFixture fixture() {
        return Fixtures.DEFAULT;
    }

    /**
     * Every multipart path forced: writes above 1 MiB are multipart uploads in 5 MiB parts, every copy is a
     * multipart UploadPartCopy copy (threshold 0).
     */
    public static S3MockFixture multipartFixture() {
        return Fixtures.MULTIPART;
    }

    /**
     * Create-only copies by CopyObject with {@code If-None-Match: *} ({@code s3.createOnlyCopy=copy-object}), as on
     * Amazon S3. S3Mock ignores that header and the probe sees it, so the store refuses such copies unless asked
     * for the unsafe check-then-copy ({@code s3.unsafe.allowUnconditionalWrites=true}), which this fixture does; it
     * therefore has the gap {@link io.atomiccheckpoint.testkit.StoreUnderTest.EmulatorGap#CREATE_ONLY_COPY_NOT_ENFORCED}
     * (a HEAD, then the copy: racing copies can both land).
     */
    public static S3MockFixture copyObjectFixture() {
        return Fixtures.COPY_OBJECT;
    }

    /** Created on first use, so that the server starts only when a test needs it. */
    private static final class Fixtures {
        static final S3MockFixture DEFAULT = new S3MockFixture("s3 (S3Mock)", config());
        static final S3MockFixture MULTIPART = new S3MockFixture("s3 (S3Mock, multipart)", config()
                .with("s3.multipartUploadThresholdBytes", Integer.toString(1024 * 1024))
                .with("s3.multipartPartSizeBytes", Integer.toString(5 * 1024 * 1024))
                .with("s3.multipartCopyThresholdBytes", "0")
                .with("s3.multipartCopyPartSizeBytes", Integer.toString(5 * 1024 * 1024)));
        static final S3MockFixture COPY_OBJECT = new S3MockFixture("s3 (S3Mock, CopyObject)", config()
                .with("s3.createOnlyCopy", "copy-object").with("s3.unsafe.allowUnconditionalWrites", "true"));
    }
}
