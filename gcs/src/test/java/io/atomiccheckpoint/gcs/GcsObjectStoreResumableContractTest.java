package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.WriteMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Core's store conformance suite again, with every write taking the resumable upload path in 256 KiB chunks. */
class GcsObjectStoreResumableContractTest extends GcsObjectStoreContractTest {
    private static GcsObjectStore resumable;

    @BeforeAll
    static void openResumable() {
        resumable = open(FakeGcsStores.config().with("gcs.resumableThreshold", "0")
                .with("gcs.uploadChunkSize", Integer.toString(256 * 1024)));
    }

    @AfterAll
    static void closeResumable() {
        resumable.close();
    }

    @Override
    protected ObjectStore store() {
        return resumable;
    }

    @Test
    void writesGoThroughResumableUploadSessions() {
        Location loc = newScratchLocation().resolve("tiny");
        resumable.write(loc, bytes("x"), WriteMode.CREATE);
        // The key is plain ASCII, so it appears unescaped in the upload URL.
        assertThat(HTTP.urls()).anySatisfy(u -> assertThat(u).contains("uploadType=resumable")
                .contains("name=" + loc.key() + "&"));
    }
}
