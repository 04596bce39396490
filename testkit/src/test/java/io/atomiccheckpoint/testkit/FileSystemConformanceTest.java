package io.atomiccheckpoint.testkit;

import org.junit.jupiter.api.Nested;

/** Every contract on the embedded filesystem store. */
class FileSystemConformanceTest {
    @Nested
    class Store extends ObjectStoreContract {
        @Override
        protected StoreUnderTest subject() {
            return Stores.filesystem();
        }
    }

    @Nested
    class Protocol extends TemporaryPathContract {
        @Override
        protected StoreUnderTest subject() {
            return Stores.filesystem();
        }
    }

    @Nested
    class Flow extends CheckpointFlowContract {
        @Override
        protected StoreUnderTest subject() {
            return Stores.filesystem();
        }
    }
}
