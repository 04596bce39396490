package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.S3MockFixture;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;

/**
 * Core's store conformance suite with create-only copies as CopyObject with {@code If-None-Match: *}
 * ({@code s3.createOnlyCopy=copy-object}), the requests Amazon S3 gets. S3Mock ignores that header and the probe
 * sees it, so the store refuses such copies ({@link ConditionalWriteProbeTest}) unless asked for the unsafe
 * check-then-copy, which this fixture is; the create-only copy hook asserts what the store sends instead.
 * {@link S3MockGapsTest} shows what S3Mock does.
 */
class S3CopyObjectContractTest extends ObjectStoreContract {
    @Override
    protected StoreUnderTest subject() {
        return S3MockStores.copyObjectFixture();
    }

    /**
     * S3Mock overwrites the target here where Amazon S3 answers 412
     * ({@link S3MockGapsTest#emulatorGapCopyObjectIgnoresIfNoneMatchAndOverwritesTheTarget}). In the unsafe mode the
     * store looks first and refuses a copy onto an object it sees (racing copies can still both land: the gap), and
     * the CopyObject it does send carries both conditions, {@code If-None-Match: *} and the source's ETag.
     */
    @Override
    protected void assertCreateOnlyCopyRefused() {
        assertThat(subject().gaps()).contains(StoreUnderTest.EmulatorGap.CREATE_ONLY_COPY_NOT_ENFORCED);
        RecordingInterceptor wire = ((S3MockFixture) subject()).wire();
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        Location fresh = root.resolve("fresh");
        ObjectInfo source = store().write(src, bytes("new"), PutMode.CREATE);
        store().write(dst, bytes("committed"), PutMode.CREATE);
        assertThatThrownBy(() -> store().copy(src, dst, CopyOptions.pinnedTo(source, PutMode.CREATE)))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(dst.toString());
        assertThat(readAll(dst)).isEqualTo(bytes("committed"));
        assertThat(wire.sent("CopyObject", dst.key())).isEmpty();
        store().copy(src, fresh, CopyOptions.pinnedTo(source, PutMode.CREATE));
        assertThat(wire.sent("CopyObject", fresh.key())).singleElement().satisfies(sent -> {
            assertThat(sent.header("If-None-Match")).contains("*");
            assertThat(sent.header("x-amz-copy-source-if-match")).contains("\"" + source.version().orElseThrow() + "\"");
        });
        assertThat(wire.sent("UploadPartCopy", root.key())).isEmpty();
    }
}
