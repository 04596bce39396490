package io.atomiccheckpoint.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second from any thread; {@link #NONE} draws
 * nothing (stderr is not a terminal, or {@code --progress never}).
 */
class Progress {
    static final Progress NONE = new Progress(null);
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String label = "";
    private volatile long totalObjects;
    private volatile long totalBytes = -1;
    private long lastDraw;

    Progress(PrintWriter err) {
        this.err = err;
    }

    /** Starts a new phase with known totals ({@code totalBytes} -1 when unknown). */
    void phase(String name, long expectedObjects, long expectedBytes) {
        label = name;
        totalObjects = expectedObjects;
        totalBytes = expectedBytes;
        objects.set(0);
        bytes.set(0);
        draw(true);
    }

    /** Counts {@code n} more objects of {@code size} bytes in all. */
    void add(long n, long size) {
        objects.addAndGet(n);
        bytes.addAndGet(size);
        draw(false);
    }

    /** Ends the bar's line. */
    void done() {
        if (err != null) {
            draw(true);
            synchronized (this) {
                err.println();
                err.flush();
            }
        }
    }

    private void draw(boolean force) {
        if (err == null) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (!force && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            long done = objects.get();
            long of = Math.max(totalObjects, 1);
            int filled = (int) Math.min(WIDTH, WIDTH * done / of);
            StringBuilder line = new StringBuilder("\r").append(label).append(" [")
                    .append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
                    .append(done).append('/').append(totalObjects).append(" objects");
            if (totalBytes >= 0) {
                line.append(", ").append(Sizes.human(bytes.get())).append('/').append(Sizes.human(totalBytes));
            }
            err.print(line);
            err.flush();
        }
    }
}
