package io.atomiccheckpoint.it;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.multihost.HostBarrier;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The process the crash and multi-host tests start and kill. Arguments: a mode, then {@code key=value}
 * pairs; keys starting with {@code store.} are passed (without the prefix) as the store configuration.
 *
 * <ul>
 *   <li>{@code crash final=<loc> objects=N step=<CommitStep> index=K}: creates, writes N objects, commits,
 *       and at the given step prints {@code PAUSED} and blocks forever, waiting to be killed.</li>
 *   <li>{@code host final=<loc> host=<id> hosts=<id,id,..> primary=<true|false> run=<id> timeoutMs=T}: one
 *       host of a multi-host save, synchronised through {@link HostBarrier}.</li>
 *   <li>{@code serve} and {@code hold}: the stopped and killed writers of {@link ChaosChild}.</li>
 * </ul>
 */
public final class CheckpointChild {
    /** Settings the crash tests and their parent share, so the parent can predict every step. */
    static final CommitSettings CRASH_SETTINGS = CommitSettings.builder().copyConcurrency(1).deleteBatchSize(5)
            .listPageSize(5).build();
    static final int OBJECTS_PER_HOST = 5;

    private CheckpointChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> storeConfig = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String key = args[i].substring(0, eq);
            if (key.startsWith("store.")) {
                storeConfig.put(key.substring("store.".length()), args[i].substring(eq + 1));
            } else {
                params.put(key, args[i].substring(eq + 1));
            }
        }
        if (args[0].equals("serve") || args[0].equals("hold")) {
            ChaosChild.run(args[0], Location.parse(params.get(args[0].equals("serve") ? "root" : "final")), params,
                    storeConfig);
            System.out.flush();
            System.exit(0);
        }
        Location finalLocation = Location.parse(params.get("final"));
        try (Store store = Store.open(finalLocation, StoreConfig.of(storeConfig))) {
            if (args[0].equals("crash")) {
                crash(store, finalLocation, params);
            } else {
                host(store, finalLocation, params);
            }
        }
        System.out.flush();
        System.exit(0);
    }

    static String content(Location finalLocation, String name) {
        return "object " + name + " of " + finalLocation;
    }

    static List<String> crashObjectNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("data/object-" + (char) ('a' + i % 26) + i);
        }
        return names;
    }

    private static void crash(Store store, Location finalLocation, Map<String, String> params) throws Exception {
        CommitStep pauseAt = CommitStep.valueOf(params.get("step"));
        long index = Long.parseLong(params.get("index"));
        CountDownLatch never = new CountDownLatch(1);
        TemporaryPath checkpoint = new PrefixCopyCommit(store, CRASH_SETTINGS).fromFinal(finalLocation,
                TemporaryPathOptions.builder().writerId("crashing-child").observer((step, i) -> {
                    if (step == pauseAt && i == index) {
                        System.out.println("PAUSED " + step + " " + i);
                        System.out.flush();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build());
        checkpoint.createBlocking();
        StagingArea staging = checkpoint.staging();
        for (String name : crashObjectNames(Integer.parseInt(params.get("objects")))) {
            staging.write(name, content(finalLocation, name).getBytes(StandardCharsets.UTF_8));
        }
        System.out.println("WRITTEN");
        System.out.flush();
        // The clean-up runs in the background; its steps are kill points too.
        checkpoint.commitBlocking().cleanup().toCompletableFuture().join();
        System.out.println("NOT PAUSED: commit finished");
    }

    private static void host(Store store, Location finalLocation, Map<String, String> params) throws Exception {
        String hostId = params.get("host");
        boolean primary = Boolean.parseBoolean(params.get("primary"));
        Duration timeout = Duration.ofMillis(Long.parseLong(params.get("timeoutMs")));
        PrefixCopyCommit strategy = new PrefixCopyCommit(store);
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId(hostId).build());
        HostBarrier barrier = new HostBarrier(store, checkpoint.get(), params.get("run"));
        if (primary) {
            checkpoint.createBlocking();
            barrier.signalCreated(checkpoint.get());
        } else {
            // Join the attempt the primary announced, never whatever attempt is newest.
            checkpoint = strategy.fromTemporary(barrier.awaitCreated(timeout),
                    TemporaryPathOptions.builder().writerId(hostId).build());
        }
        StagingArea staging = checkpoint.staging();
        for (int i = 0; i < OBJECTS_PER_HOST; i++) {
            String name = hostId + "/part-" + i;
            staging.write(name, content(finalLocation, name).getBytes(StandardCharsets.UTF_8));
        }
        barrier.signalDone(hostId);
        System.out.println("DONE " + hostId);
        if (primary) {
            barrier.awaitDone(List.of(params.get("hosts").split(",")), timeout);
            CommitResult result = checkpoint.commitBlocking();
            System.out.println("COMMITTED " + result.manifest().objectCount());
        }
    }
}
