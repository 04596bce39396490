package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.S3MockFixture;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/**
 * Core's store conformance suite with create-only copies as CopyObject with {@code If-None-Match: *}
 * ({@code s3.createOnlyCopy=copy-object}), the requests Amazon S3 gets. S3Mock ignores that header, so the
 * create-only copy hook asserts what the store sends instead; {@link S3MockGapsTest} shows what S3Mock does.
 */
class S3CopyObjectContractTest extends ObjectStoreContract {
    @Override
    protected StoreUnderTest subject() {
        return S3MockStores.copyObjectFixture();
    }

    /**
     * S3Mock overwrites the target here where Amazon S3 answers 412
     * ({@link S3MockGapsTest#emulatorGapCopyObjectIgnoresIfNoneMatchAndOverwritesTheTarget}): the store's half is
     * one CopyObject carrying both conditions, {@code If-None-Match: *} and the source's ETag.
     */
    @Override
    protected void assertCreateOnlyCopyRefused() {
        assertThat(subject().gaps()).contains(StoreUnderTest.EmulatorGap.CREATE_ONLY_COPY_NOT_ENFORCED);
        RecordingInterceptor wire = ((S3MockFixture) subject()).wire();
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        ObjectInfo source = store().write(src, bytes("new"), PutMode.CREATE);
        store().write(dst, bytes("committed"), PutMode.CREATE);
        store().copy(src, dst, CopyOptions.pinnedTo(source, PutMode.CREATE));
        assertThat(wire.sent("CopyObject", dst.key())).singleElement().satisfies(sent -> {
            assertThat(sent.header("If-None-Match")).contains("*");
            assertThat(sent.header("x-amz-copy-source-if-match")).contains("\"" + source.version().orElseThrow() + "\"");
        });
        assertThat(wire.sent("UploadPartCopy", dst.key())).isEmpty();
    }
}
