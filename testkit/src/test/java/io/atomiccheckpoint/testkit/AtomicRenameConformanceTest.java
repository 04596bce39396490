package io.atomiccheckpoint.testkit;

import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.commit.AtomicRename;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.util.List;

/** Runs the protocol contract on the local-disk strategy, {@link AtomicRename}. */
class AtomicRenameConformanceTest extends TemporaryPathContract {
    @Override
    protected StoreUnderTest subject() {
        return Stores.filesystem();
    }

    @Override
    protected List<TemporaryPathFactory> strategies() {
        return List.of(new AtomicRename(store().unwrap(FileSystemObjectStore.class).orElseThrow(), settings()));
    }
}
