package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Saves one checkpoint through {@link SaveCheckpoint} and checks what the commit reports. */
final class RoundTrip {
    private static final int FILES = 12;

    private RoundTrip() {
    }

    static void saveAndCheck(Location location, StoreConfig config) throws InterruptedException {
        ExecutorService copies = Executors.newFixedThreadPool(4);
        try {
            CommitResult result = SaveCheckpoint.save(location, config, FILES, copies);
            assertEquals(location, result.finalLocation());
            assertEquals(FILES, result.copied() + result.alreadyInPlace(), "objects committed");
        } finally {
            copies.shutdown();
        }
        assertTrue(copies.awaitTermination(30, TimeUnit.SECONDS), "the user's copy executor stops");
    }
}
