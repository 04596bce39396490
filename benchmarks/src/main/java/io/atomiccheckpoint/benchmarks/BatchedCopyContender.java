package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The raw copy again, but {@link BatchCopier#MAX_BATCH} copies per request, {@code concurrency} batches at a
 * time: what a commit would cost if it sent its copies in batches. Only where the store has batched copies.
 */
final class BatchedCopyContender implements Contender {
    private final String name;
    private final int concurrency;

    BatchedCopyContender(String name, int concurrency) {
        this.name = name;
        this.concurrency = concurrency;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Finalizer prepare(Connection connection, Location finalLocation) {
        BatchCopier batch = connection.batch().orElseThrow(() -> new IllegalStateException(
                "no batched copy on this store"));
        Location source = finalLocation.sibling(finalLocation.name() + ".src");
        return new Finalizer() {
            @Override
            public Location source() {
                return source;
            }

            @Override
            public void finalizeNow(Workload workload) {
                copyAll(batch, source, finalLocation, workload.count());
            }
        };
    }

    private void copyAll(BatchCopier batch, Location source, Location target, int count) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int first = 0; first < count; first += BatchCopier.MAX_BATCH) {
                List<Location> from = new ArrayList<>();
                List<Location> to = new ArrayList<>();
                for (int i = first; i < Math.min(count, first + BatchCopier.MAX_BATCH); i++) {
                    String name = Workload.objectName(i);
                    from.add(source.resolve(name));
                    to.add(target.resolve(name));
                }
                batches.add(pool.submit(() -> batch.copyAll(from, to)));
            }
            for (Future<?> b : batches) {
                b.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("batched copy failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
