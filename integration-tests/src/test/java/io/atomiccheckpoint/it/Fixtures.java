package io.atomiccheckpoint.it;

import java.util.List;

/**
 * The stores the shared suite runs on, each created once per JVM on first use. Every store listed here
 * must be reachable: a fixture whose emulator cannot start fails its tests rather than skipping them.
 */
final class Fixtures {
    private static List<StoreFixture> all;
    private static List<StoreFixture> inProcess;

    private Fixtures() {
    }

    /** Every store, for {@code @MethodSource}. */
    static synchronized List<StoreFixture> all() {
        if (all == null) {
            all = List.of(new FileSystemFixture(), new S3Fixture(), new LocalStackFixture(), new GcsFixture(),
                    new AzureFixture());
        }
        return all;
    }

    /** Every store plus the in-memory one, for tests that run in this JVM only (no child processes). */
    static synchronized List<StoreFixture> inProcess() {
        if (inProcess == null) {
            List<StoreFixture> stores = new java.util.ArrayList<>(all());
            stores.add(new InMemoryFixture());
            inProcess = List.copyOf(stores);
        }
        return inProcess;
    }
}
