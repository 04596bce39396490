package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a user writes by hand instead: copy each object with the SDK, {@code concurrency} at a time, and
 * nothing else (no listing, no marker, no clean-up). With our copy concurrency it is the floor of our copy
 * phase; with 1 it is the naive sequential loop.
 */
final class CopyLoopContender implements Contender {
    private final String name;
    private final int concurrency;

    CopyLoopContender(String name, int concurrency) {
        this.name = name;
        this.concurrency = concurrency;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Finalizer prepare(Connection connection, Location finalLocation) {
        Location source = finalLocation.sibling(finalLocation.name() + ".src");
        return new Finalizer() {
            @Override
            public Location source() {
                return source;
            }

            @Override
            public void finalizeNow(Workload workload) {
                copyAll(connection.raw(), source, finalLocation, workload.count());
            }
        };
    }

    private void copyAll(RawCopier raw, Location source, Location target, int count) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> copies = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = Workload.objectName(i);
                copies.add(pool.submit(() -> raw.copy(source.resolve(name), target.resolve(name))));
            }
            for (Future<?> copy : copies) {
                copy.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("copy loop failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
