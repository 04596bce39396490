package io.atomiccheckpoint.it;

import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import io.atomiccheckpoint.testkit.Stores;
import java.util.List;

/**
 * The embedded filesystem store, as testkit's {@link Stores#filesystem()} provides it. It has no HTTP layer,
 * so faults are injected by {@link FaultyObjectStore} around it, failing whole store operations instead.
 */
final class FileSystemFixture extends CoreStoreFixture {
    FileSystemFixture() {
        super(Stores.filesystem());
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public String createOnlyMechanism() {
        // The filesystem store exposes no setting here: it always links, and link(2) refuses an existing name.
        return "hard link (link(2) refuses an existing name); racers not serialised";
    }

    @Override
    public Store storeWithFaults(double rate, Fault fault, long seed) {
        return Store.of(new FaultyObjectStore(new FileSystemObjectStore(), rate, seed));
    }

    @Override
    public List<Fault> supportedFaults() {
        return List.of(Fault.HTTP_503);
    }
}
