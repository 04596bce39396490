package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.PutMode;
import org.junit.jupiter.api.Test;

/** Core's store conformance suite again, with every write taking the resumable upload path in 256 KiB chunks. */
class GcsObjectStoreResumableContractTest extends GcsObjectStoreContractTest {
    @Override
    protected FakeGcsStores.Fixture subject() {
        return FakeGcsStores.resumableFixture();
    }

    @Test
    void writesGoThroughResumableUploadSessionsCarryingTheirCondition() {
        Location loc = newScratchLocation().resolve("tiny");
        String version = store().write(loc, bytes("x"), PutMode.CREATE).version().orElseThrow();
        store().write(loc, bytes("y"), PutMode.update(version));
        // The key is plain ASCII, so it appears unescaped in the upload URL. The request that opens a session
        // carries the condition; the chunks that follow name the session (upload_id).
        assertThat(subject().requests().urls()).filteredOn(u -> u.contains("uploadType=resumable")
                && u.contains("name=" + loc.key() + "&") && !u.contains("upload_id="))
                .hasSize(2)
                .satisfiesExactly(u -> assertThat(u).contains("ifGenerationMatch=0"),
                        u -> assertThat(u).contains("ifGenerationMatch=" + version));
    }
}
