package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a user writes by hand instead: copy each object with the SDK, {@code concurrency} requests at a time, and
 * nothing else (no listing, no marker, no clean-up). With our copy concurrency it is the floor of our copy
 * phase; with 1 it is the naive sequential loop; with batches ({@link #batched}) each request is a GCS JSON batch
 * of {@link BatchCopier#MAX_BATCH} copies, to show what batching gains on its own.
 */
final class CopyLoopContender implements Contender {
    private final String name;
    private final int concurrency;
    private final boolean batched;

    private CopyLoopContender(String name, int concurrency, boolean batched) {
        this.name = name;
        this.concurrency = concurrency;
        this.batched = batched;
    }

    /** One copy per request. */
    static CopyLoopContender single(String name, int concurrency) {
        return new CopyLoopContender(name, concurrency, false);
    }

    /** Up to {@link BatchCopier#MAX_BATCH} copies per request; only where the connection has batched copies. */
    static CopyLoopContender batched(String name, int concurrency) {
        return new CopyLoopContender(name, concurrency, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Finalizer prepare(Connection connection, Location finalLocation) {
        Location source = finalLocation.sibling(finalLocation.name() + ".src");
        BatchCopier copier = batched
                ? connection.batch().orElseThrow(() -> new IllegalStateException("no batched copy on this store"))
                : (from, to) -> connection.raw().copy(from.get(0), to.get(0));
        int group = batched ? BatchCopier.MAX_BATCH : 1;
        return new Finalizer() {
            @Override
            public Location source() {
                return source;
            }

            @Override
            public void finalizeNow(Workload workload) {
                copyAll(copier, group, source, finalLocation, workload.count());
            }
        };
    }

    private void copyAll(BatchCopier copier, int group, Location source, Location target, int count) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int first = 0; first < count; first += group) {
                List<Location> from = new ArrayList<>(group);
                List<Location> to = new ArrayList<>(group);
                for (int i = first; i < Math.min(count, first + group); i++) {
                    String name = Workload.objectName(i);
                    from.add(source.resolve(name));
                    to.add(target.resolve(name));
                }
                requests.add(pool.submit(() -> copier.copyAll(from, to)));
            }
            for (Future<?> request : requests) {
                request.get();
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
