package io.atomiccheckpoint.it;

import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.HoldingObjectStore.Point;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * The writer that the stop and kill tests run in a child JVM ({@link CheckpointChild} hands it the modes
 * {@code serve} and {@code hold}). It saves writer "a"'s objects ({@link WriterContentCheck}) through a
 * {@link HoldingObjectStore} whose requests are counted in a {@link RequestGauge} the parent maps too.
 *
 * <ul>
 *   <li>{@code serve root=<loc> gauge=<file>}: reads {@code save <final> <objects>} lines from standard input and
 *       answers each with one {@code RESULT} line, so one JVM serves every round of a store.</li>
 *   <li>{@code hold final=<loc> gauge=<file> point=<request:phase:n> objects=N big=<bytes> midBody=<bytes>}: one
 *       save (with a large object {@code a/big} if {@code big > 0}); at the chosen point it prints {@code HELD}
 *       and blocks until it is killed.</li>
 * </ul>
 * Results: {@code RESULT COMMITTED}, {@code RESULT LOST <exception>} (a {@link CommitConflictException}),
 * {@code RESULT STAGING_FAILED <exception>} (a staging write failed, as a superseded writer's may: staging does not
 * consult the lease), or {@code RESULT FAILED <exception>} (anything else, which the parent treats as a failure of
 * the library).
 */
final class ChaosChild {
    /** The child's commit settings: a few copies in flight and small pages, so a save has many requests. */
    static final CommitSettings SETTINGS = CommitSettings.builder().copyConcurrency(4).listPageSize(8)
            .deleteBatchSize(8).build();
    static final String BIG = "a/big";

    private ChaosChild() {
    }

    static void run(String mode, Location where, Map<String, String> params, Map<String, String> storeConfig)
            throws Exception {
        Point point = mode.equals("hold") ? Point.parse(params.get("point")) : Point.never();
        RequestGauge gauge = RequestGauge.shared(Path.of(params.get("gauge")));
        CountDownLatch never = new CountDownLatch(1);
        HoldingObjectStore.Holder holder = what -> {
            System.out.println("HELD " + what);
            System.out.flush();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        long midBody = Long.parseLong(params.getOrDefault("midBody", "0"));
        try (Store store = Store.of(new HoldingObjectStore(Store.provider(where.scheme()).open(where,
                StoreConfig.of(storeConfig)), SETTINGS.markerName(), point, midBody, holder, gauge))) {
            if (mode.equals("hold")) {
                save(store, where, Integer.parseInt(params.get("objects")), Integer.parseInt(params.get("big")));
                return;
            }
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY");
            System.out.flush();
            String line;
            while ((line = commands.readLine()) != null && line.startsWith("save ")) {
                String[] words = line.split(" ");
                save(store, Location.parse(words[1]), Integer.parseInt(words[2]), 0);
            }
        }
    }

    private static void save(Store store, Location finalLocation, int objects, int big) {
        String result;
        try {
            TemporaryPath path = new PrefixCopyCommit(store, SETTINGS).fromFinal(finalLocation,
                    TemporaryPathOptions.builder().writerId("a").build());
            path.createBlocking();
            try {
                WriterContentCheck.stage(path, "a", 0, objects);
                if (big > 0) {
                    path.staging().write(BIG, bigBytes(finalLocation, big));
                }
            } catch (RuntimeException staging) {
                // Staging writes know nothing of the lease: a superseded writer's fail as the store says.
                System.out.println("RESULT STAGING_FAILED " + oneLine(staging));
                System.out.flush();
                return;
            }
            path.commitBlocking().cleanup().toCompletableFuture().join();
            result = "COMMITTED";
        } catch (CommitConflictException lost) {
            result = "LOST " + oneLine(lost);
        } catch (RuntimeException failed) {
            result = "FAILED " + oneLine(failed);
        }
        System.out.println("RESULT " + result);
        System.out.flush();
    }

    /** The random choices of one store's chaos test, from {@code -Dit.chaos.seed} or a fresh seed, printed. */
    record Seeded(long seed, Random random) {
        static Seeded of(String storeName, String what) {
            long seed = Long.getLong("it.chaos.seed", System.nanoTime());
            System.out.println(storeName + ": " + what + " with seed " + seed + " (-Dit.chaos.seed=" + seed
                    + " repeats the choice of points)");
            return new Seeded(seed, new Random(seed ^ storeName.hashCode()));
        }
    }

    /** A large object's deterministic bytes: its name and final location, repeated. */
    static byte[] bigBytes(Location finalLocation, int size) {
        byte[] unit = WriterContentCheck.bytes(BIG, finalLocation);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    private static String oneLine(Throwable t) {
        return (t.getClass().getSimpleName() + ": " + t.getMessage()).replace('\n', ' ');
    }
}
