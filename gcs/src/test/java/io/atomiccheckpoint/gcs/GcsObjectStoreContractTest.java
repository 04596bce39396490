package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest.EmulatorGap;

/**
 * Core's store conformance suite on fake-gcs-server with the default settings (small writes in one request,
 * copies as server-side rewrites). {@link GcsObjectStoreResumableContractTest} runs it again with resumable
 * uploads, {@link GcsDownloadUploadContractTest} with download-upload copies, where the emulator enforces every
 * condition.
 *
 * <p>The emulator ignores preconditions on rewrites, so the two copy-refusal hooks assert what the store sends
 * instead, which is what real GCS refuses with 412; {@code FakeGcsServerBehaviourTest} shows each gap.
 */
class GcsObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected FakeGcsStores.Fixture subject() {
        return FakeGcsStores.fixture();
    }

    /**
     * Gap {@link EmulatorGap#CREATE_ONLY_COPY_NOT_ENFORCED}
     * ({@code FakeGcsServerBehaviourTest.emulatorGapRewriteIgnoresIfGenerationMatchZeroAndOverwritesTheTarget}):
     * the rewrite carries {@code ifGenerationMatch=0}, which real GCS answers with 412.
     */
    @Override
    protected void assertCreateOnlyCopyRefused() {
        assertThat(subject().gaps()).contains(EmulatorGap.CREATE_ONLY_COPY_NOT_ENFORCED);
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        store().write(src, bytes("new"), PutMode.CREATE);
        store().write(dst, bytes("committed"), PutMode.CREATE);
        store().copy(src, dst, PutMode.CREATE);
        assertThat(subject().rewrites(src, dst)).hasSize(1)
                .allSatisfy(u -> assertThat(u).contains("ifGenerationMatch=0").doesNotContain("ifSourceGeneration"));
    }

    /**
     * Gap {@link EmulatorGap#PINNED_COPY_NOT_ENFORCED}
     * ({@code FakeGcsServerBehaviourTest.emulatorGapRewriteIgnoresIfSourceGenerationMatchAndCopiesTheNewSource}):
     * the rewrite carries {@code ifSourceGenerationMatch=<listed generation>} (and {@code ifGenerationMatch=0} for
     * the create-only target), which real GCS answers with 412 once the source was replaced.
     */
    @Override
    protected void assertPinnedCopyOfChangedSourceRefused() {
        assertThat(subject().gaps()).contains(EmulatorGap.PINNED_COPY_NOT_ENFORCED);
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        ObjectInfo listed = store().write(src, bytes("listed"), PutMode.CREATE);
        ObjectInfo replaced = store().write(src, bytes("replaced later"), PutMode.OVERWRITE);
        assertThat(replaced.version()).isNotEqualTo(listed.version());
        store().copy(src, dst, CopyOptions.pinnedTo(listed, PutMode.CREATE));
        assertThat(subject().rewrites(src, dst)).hasSize(1).allSatisfy(u -> assertThat(u)
                .contains("ifSourceGenerationMatch=" + listed.version().orElseThrow())
                .contains("ifGenerationMatch=0"));
    }
}
