package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Writes a workload's objects below a prefix, in parallel, before the measured finalize (not timed). */
final class CheckpointWriter implements AutoCloseable {
    private static final int WRITERS = 8;
    private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    private byte[] content = new byte[0];

    void write(Store store, Location prefix, Workload workload) {
        byte[] data = content(workload.objectBytes());
        List<Future<?>> writes = new ArrayList<>(workload.count());
        for (int i = 0; i < workload.count(); i++) {
            Location object = prefix.resolve(Workload.objectName(i));
            writes.add(pool.submit(() -> store.write(object, new ByteArrayInputStream(data), data.length,
                    PutMode.CREATE)));
        }
        try {
            for (Future<?> w : writes) {
                w.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("setting up " + workload.label() + " at " + prefix + " failed: "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One random buffer per size, shared by every object: content does not change what a copy costs. */
    private synchronized byte[] content(int size) {
        if (content.length != size) {
            content = new byte[size];
            new Random(size).nextBytes(content);
        }
        return content;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
