package io.atomiccheckpoint.it;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.List;

/** A fixture for one of core's own stores, as testkit provides it: no emulator and no credentials. */
abstract class CoreStoreFixture implements StoreFixture {
    final StoreUnderTest base;

    CoreStoreFixture(StoreUnderTest base) {
        this.base = base;
    }

    @Override
    public Store store() {
        return base.store();
    }

    @Override
    public StoreConfig config() {
        return base.config();
    }

    @Override
    public Location newScratchLocation() {
        return base.newScratchLocation();
    }

    @Override
    public List<StoreConfig> fakeCredentialConfigs() {
        return List.of();
    }

    @Override
    public List<String> fakeSecrets() {
        return List.of();
    }
}
