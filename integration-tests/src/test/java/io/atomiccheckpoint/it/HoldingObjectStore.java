package io.atomiccheckpoint.it;

import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Holds one chosen request of a real store in the middle: before it is sent, after the store acted but before
 * the caller sees the response, or half way through an upload's body. What happens while it is held is the
 * caller's: the matrix lets another writer act and then releases it, a child JVM is killed or stopped there.
 * Every request is also counted in a {@link RequestGauge}, so a test can pick the n-th one at random and see
 * whether a process was stopped while a request was in flight. Not a fake: every request runs on the real store.
 */
final class HoldingObjectStore extends ForwardingObjectStore {
    private static final String LEASE_NAME = "/_ATTEMPT";

    /** The kinds of request a hold can choose; the protocol's requests are told apart by their keys. */
    enum Request {
        /** A put of the attempt lease from bytes: create()'s takeover or the seal. */
        LEASE_PUT,
        /** The put of the attempt lease from the manifest file: the fenced update just before the marker copy. */
        MANIFEST_PUT,
        /** The copy onto the commit marker's name. */
        MARKER_COPY,
        /** A copy of a staged object into the final location. */
        DATA_COPY,
        /** A put of anything but the lease: staging writes. */
        DATA_PUT,
        /** A batch delete. */
        DELETE,
        /** Any other request: listing, stat, read. */
        OTHER
    }

    /** Where in a request to hold. */
    enum Phase {
        /** Before the request is sent. */
        BEFORE,
        /** After the store acted, before the caller sees the response. */
        AFTER,
        /** After {@code midBodyBytes} of an upload's body were read (puts larger than that only). */
        MID_BODY
    }

    /**
     * The {@code occurrence}-th (1-based) request of kind {@code request} is held at {@code phase}; a null
     * request matches every request, to hold at a random one.
     */
    record Point(Request request, Phase phase, int occurrence) {
        static Point parse(String text) {
            String[] parts = text.split(":");
            return new Point(parts[0].equals("ANY") ? null : Request.valueOf(parts[0]), Phase.valueOf(parts[1]),
                    Integer.parseInt(parts[2]));
        }

        /** A point no request reaches: the store only counts. */
        static Point never() {
            return new Point(null, Phase.BEFORE, 0);
        }

        String format() {
            return (request == null ? "ANY" : request.name()) + ":" + phase + ":" + occurrence;
        }
    }

    /** Called on the held request's thread; returns when the request may go on (in a child: never). */
    interface Holder {
        void hold(String what);
    }

    private final String markerSuffix;
    private final Point point;
    private final long midBodyBytes;
    private final Holder holder;
    private final RequestGauge gauge;
    private final AtomicInteger matched = new AtomicInteger();

    HoldingObjectStore(ObjectStore delegate, String markerName, Point point, long midBodyBytes, Holder holder,
            RequestGauge gauge) {
        super(delegate);
        this.markerSuffix = "/" + markerName;
        this.point = point;
        this.midBodyBytes = midBodyBytes;
        this.holder = holder;
        this.gauge = gauge;
    }

    @Override
    protected void beforeCall(String operation, Location location) {
        // Every method is overridden below, so that a request can be held after it returned too.
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        return call(Request.OTHER, -1, body -> delegate().list(prefix, delimited, pageToken, pageSize));
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        return call(Request.OTHER, -1, body -> delegate().stat(location));
    }

    @Override
    public InputStream get(Location location, GetOptions options) {
        return call(Request.OTHER, -1, body -> delegate().get(location, options));
    }

    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        Request kind = !location.key().endsWith(LEASE_NAME) ? Request.DATA_PUT
                : payload instanceof Payload.File ? Request.MANIFEST_PUT : Request.LEASE_PUT;
        return call(kind, payload.length(), held -> delegate().put(location,
                held == null ? payload : Payload.of(new HeldHalfWay(payload.open(), held), payload.length()), mode));
    }

    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        Request kind = target.key().endsWith(markerSuffix) ? Request.MARKER_COPY : Request.DATA_COPY;
        return call(kind, -1, body -> delegate().copy(source, target, options));
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        return call(Request.DELETE, -1, body -> delegate().delete(locations));
    }

    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        return call(Request.DELETE, -1, body -> super.deleteIfUnchanged(objects));
    }

    /**
     * Runs {@code request}, holding it if it is the chosen one. The request is given the hold's description if
     * it is to hold half way through its body, else null.
     */
    private <T> T call(Request kind, long bodyLength, Function<String, T> request) {
        gauge.started(kind);
        try {
            boolean chosen = (point.request() == null || point.request() == kind)
                    && (point.phase() != Phase.MID_BODY || bodyLength > midBodyBytes)
                    && matched.incrementAndGet() == point.occurrence();
            if (!chosen) {
                return request.apply(null);
            }
            String what = point.format() + " " + kind;
            if (point.phase() == Phase.MID_BODY) {
                return request.apply(what);
            }
            if (point.phase() == Phase.BEFORE) {
                holder.hold(what);
            }
            T result = request.apply(null);
            if (point.phase() == Phase.AFTER) {
                holder.hold(what);
            }
            return result;
        } finally {
            gauge.finished();
        }
    }

    /** An upload body that holds once {@code midBodyBytes} were read: part of the upload has been sent. */
    private final class HeldHalfWay extends FilterInputStream {
        private final String what;
        private long read;
        private boolean held;

        HeldHalfWay(InputStream in, String what) {
            super(in);
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            holdIfDue();
            int b = super.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            holdIfDue();
            // Never read past the hold point in one call, so the hold comes exactly there.
            int limit = held ? length : (int) Math.max(1, Math.min(length, midBodyBytes - read));
            int n = super.read(buffer, offset, limit);
            if (n > 0) {
                read += n;
            }
            return n;
        }

        private void holdIfDue() {
            if (!held && read >= midBodyBytes) {
                held = true;
                holder.hold(what + " after " + read + " bytes");
            }
        }
    }
}
