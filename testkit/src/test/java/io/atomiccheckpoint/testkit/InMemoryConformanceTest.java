package io.atomiccheckpoint.testkit;

import org.junit.jupiter.api.Nested;

/** Every contract on the embedded in-memory store. */
class InMemoryConformanceTest {
    @Nested
    class Store extends ObjectStoreContract {
        @Override
        protected StoreUnderTest subject() {
            return Stores.memory();
        }
    }

    @Nested
    class Protocol extends TemporaryPathContract {
        @Override
        protected StoreUnderTest subject() {
            return Stores.memory();
        }
    }

    @Nested
    class Flow extends CheckpointFlowContract {
        @Override
        protected StoreUnderTest subject() {
            return Stores.memory();
        }
    }
}
