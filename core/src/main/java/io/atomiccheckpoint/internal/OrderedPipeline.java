package io.atomiccheckpoint.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks on a fixed number of threads and hands their results to a consumer in submission order,
 * keeping at most a bounded window of tasks in flight. This lets a commit copy objects in parallel while
 * writing manifest entries in listing order, with memory bounded by the window, not by the object count.
 * The first failure cancels the rest and is rethrown. The threads are the pipeline's own, or those of an
 * executor the caller owns and shares (then the window still bounds this pipeline's tasks, and closing the
 * pipeline cancels them but leaves the executor running).
 */
public final class OrderedPipeline<T> implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** The pipeline's own threads, shut down on close; null when the tasks run on a caller's executor. */
    private final ExecutorService pool;
    private final Executor executor;
    private final Deque<Future<T>> window = new ArrayDeque<>();
    private final int maxWindow;
    private final Consumer<T> consumer;

    /** A pipeline of {@code concurrency} threads and a window of four tasks per thread. */
    public OrderedPipeline(String name, int concurrency, Consumer<T> consumer) {
        // Four tasks per thread keep every thread busy when one task is slow, without unbounded queueing.
        this(name, concurrency, concurrency * 4, consumer);
    }

    /**
     * A pipeline of {@code concurrency} threads holding at most {@code window} tasks (queued, running or
     * finished but not yet consumed); a smaller window bounds memory when each task carries much data.
     */
    public OrderedPipeline(String name, int concurrency, int window, Consumer<T> consumer) {
        if (concurrency < 1 || window < concurrency) {
            throw new IllegalArgumentException("need concurrency >= 1 and window >= concurrency, got " + concurrency
                    + " and " + window);
        }
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "atomic-checkpoint-" + name + "-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor = pool;
        this.maxWindow = window;
        this.consumer = consumer;
    }

    /**
     * A pipeline whose tasks run on {@code executor}, which the caller owns (it is not shut down on close),
     * holding at most {@code window} tasks. The executor must queue what it cannot run at once, and must not be
     * the executor whose thread calls {@link #submit} if that one has a single thread (the caller waits for the
     * tasks).
     */
    public OrderedPipeline(Executor executor, int window, Consumer<T> consumer) {
        if (window < 1) {
            throw new IllegalArgumentException("need window >= 1, got " + window);
        }
        this.pool = null;
        this.executor = java.util.Objects.requireNonNull(executor, "executor");
        this.maxWindow = window;
        this.consumer = consumer;
    }

    private <V> Future<V> start(Callable<V> task) {
        FutureTask<V> future = new FutureTask<>(task);
        executor.execute(future);
        return future;
    }

    /** Queues a task; blocks while the window is full, consuming finished results in order. */
    public void submit(Callable<T> task) {
        window.add(start(task));
        while (window.size() >= maxWindow) {
            consumeHead();
        }
    }

    /**
     * Runs {@code task} on the pipeline's threads outside the ordered window, for work that should overlap the
     * producer's (a check while the first listing page is fetched); {@link #join} waits for it.
     */
    public Future<?> runAside(Runnable task) {
        return start(() -> {
            task.run();
            return null;
        });
    }

    /** Waits for a task from {@link #runAside}, rethrowing its failure as it was thrown. */
    public static void join(Future<?> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** Waits for every queued task and consumes the results. */
    public void drain() {
        while (!window.isEmpty()) {
            consumeHead();
        }
    }

    private void consumeHead() {
        Future<T> head = window.peek();
        T value;
        try {
            value = head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelAll();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            cancelAll();
            throw unwrap(e);
        }
        window.poll();
        consumer.accept(value);
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new IllegalStateException(cause);
    }

    private void cancelAll() {
        for (Future<T> f : window) {
            f.cancel(true);
        }
        window.clear();
    }

    @Override
    public void close() {
        cancelAll();
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
