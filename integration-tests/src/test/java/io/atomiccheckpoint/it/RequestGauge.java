package io.atomiccheckpoint.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How many store requests a process started and finished, and the kind of the last one started, kept in a small
 * memory-mapped file so that a parent can read it while the child is stopped (SIGSTOP) without asking the child.
 * A stopped child with more requests started than finished was stopped in the middle of a request.
 */
final class RequestGauge {
    private static final int STARTED = 0;
    private static final int FINISHED = 8;
    private static final int LAST_KIND = 16;
    private static final int SIZE = 24;

    private final ByteBuffer counts;

    private RequestGauge(ByteBuffer counts) {
        this.counts = counts;
    }

    /** A gauge only this process reads. */
    static RequestGauge inMemory() {
        return new RequestGauge(ByteBuffer.allocate(SIZE));
    }

    /** The gauge shared through {@code file}, created if absent; both processes map the same bytes. */
    static RequestGauge shared(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            return new RequestGauge(mapped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the request gauge " + file, e);
        }
    }

    synchronized void started(HoldingObjectStore.Request kind) {
        counts.putInt(LAST_KIND, kind.ordinal());
        counts.putLong(STARTED, counts.getLong(STARTED) + 1);
    }

    synchronized void finished() {
        counts.putLong(FINISHED, counts.getLong(FINISHED) + 1);
    }

    synchronized long startedCount() {
        return counts.getLong(STARTED);
    }

    /** Requests started and not yet finished (a held request counts until its caller sees the response). */
    synchronized long inFlight() {
        return counts.getLong(STARTED) - counts.getLong(FINISHED);
    }

    synchronized HoldingObjectStore.Request lastKind() {
        return HoldingObjectStore.Request.values()[counts.getInt(LAST_KIND)];
    }
}
