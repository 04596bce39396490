package io.atomiccheckpoint.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stores the shared suite runs on, each created once per JVM on first use. Every store listed here
 * must be reachable: a fixture whose emulator cannot start fails its tests rather than skipping them.
 */
final class Fixtures {
    private static List<StoreFixture> all;
    private static List<StoreFixture> inProcess;

    private Fixtures() {
    }

    /**
     * Every store, for {@code @MethodSource}. {@code -Dit.stores=filesystem,gcs} narrows a developer's run to the
     * stores whose names start with one of the given words ({@code filesystem}, {@code s3 (S3Mock)},
     * {@code s3 (LocalStack)}, {@code gcs}, {@code azure}); CI sets nothing and runs them all. A store left out
     * is not started.
     */
    static synchronized List<StoreFixture> all() {
        if (all == null) {
            Map<String, Supplier<StoreFixture>> every = new LinkedHashMap<>();
            every.put("filesystem", FileSystemFixture::new);
            every.put("s3 (S3Mock)", S3Fixture::new);
            every.put("s3 (LocalStack)", LocalStackFixture::new);
            every.put("gcs", GcsFixture::new);
            every.put("azure", AzureFixture::new);
            List<String> only = List.of(System.getProperty("it.stores", "").split(","));
            List<StoreFixture> chosen = new ArrayList<>();
            every.forEach((name, fixture) -> {
                if (only.stream().anyMatch(word -> name.startsWith(word.trim()))) {
                    chosen.add(fixture.get());
                }
            });
            all = List.copyOf(chosen);
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
