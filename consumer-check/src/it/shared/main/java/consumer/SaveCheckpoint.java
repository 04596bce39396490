package consumer;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/** What a user's job does: save a checkpoint of a few files through the public API and check it deeply. */
public final class SaveCheckpoint {
    private SaveCheckpoint() {
    }

    /** Saves {@code files} small files at {@code location}, copying on {@code copies}; returns the commit. */
    public static CommitResult save(Location location, StoreConfig config, int files, ExecutorService copies) {
        try (Store store = Store.open(location, config)) {
            PrefixCopyCommit strategy = new PrefixCopyCommit(store,
                    CommitSettings.builder().copyExecutor(copies).cleanupInBackground(false).build());
            TemporaryPath checkpoint = strategy.fromFinal(location);
            checkpoint.createBlocking();
            for (int i = 0; i < files; i++) {
                checkpoint.staging().write("shard-" + i + ".bin", ("shard " + i).getBytes(StandardCharsets.UTF_8));
            }
            CommitResult result = checkpoint.commitBlocking();
            if (!strategy.validateDeep(location).isIntact()) {
                throw new IllegalStateException("committed checkpoint at " + location + " is not intact");
            }
            return result;
        }
    }
}
