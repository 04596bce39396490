package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.gcs.testing.RecordingConnections;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.WriteMode;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's store conformance suite on fake-gcs-server, with the default settings (small writes in one request).
 * {@link GcsObjectStoreResumableContractTest} runs it again with every write going through a resumable upload.
 */
class GcsObjectStoreContractTest extends ObjectStoreContract {
    static final RecordingConnections HTTP = RecordingConnections.recording();
    private static GcsObjectStore store;

    @BeforeAll
    static void openStore() {
        store = open(FakeGcsStores.config());
    }

    static GcsObjectStore open(StoreConfig config) {
        GcsObjectStore opened = GcsObjectStore.builder().config(config).customizeOptions(HTTP.install()).build();
        FakeGcsStores.ensureBucket(opened.client());
        return opened;
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected Location newScratchLocation() {
        return FakeGcsStores.newScratchLocation();
    }

    /**
     * fake-gcs-server ignores {@code ifGenerationMatch} on rewrites (shown by
     * {@code FakeGcsServerBehaviourTest.emulatorGapRewriteIgnoresIfGenerationMatchZeroAndOverwritesTheTarget}),
     * so the refusal itself cannot be observed here; this asserts the half that is ours: the rewrite request
     * carries {@code ifGenerationMatch=0}, which real GCS answers with 412.
     */
    @Override
    protected void assertCreateOnlyCopyRefused() {
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        store().write(src, bytes("new"), WriteMode.CREATE);
        store().write(dst, bytes("committed"), WriteMode.CREATE);
        store().copy(src, dst, WriteMode.CREATE);
        String encodedTarget = URLEncoder.encode(dst.key(), StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(HTTP.urls()).filteredOn(u -> u.contains("/rewriteTo/") && u.contains(encodedTarget))
                .hasSize(1)
                .allSatisfy(u -> assertThat(u).contains("ifGenerationMatch=0"));
    }
}
