package io.atomiccheckpoint.store.memory;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.spi.SupportsConditionalDelete;
import io.atomiccheckpoint.spi.StoreCapabilities;
import io.atomiccheckpoint.spi.UTF8Order;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * A store held in this process's memory that behaves like a strongly consistent object store with every
 * condition enforced: create-only and versioned writes, pinned copies, versioned reads. It passes the whole
 * conformance kit, so core's tests and users' unit tests need neither a disk nor an emulator.
 *
 * <p>Every object gets a new generation number as its version and {@code crc32c} and {@code md5} checksums, as
 * GCS reports them. Each operation takes the store's lock for its decision and its effect, so conditions are
 * atomic as on a real service.
 *
 * <p>Tests reach between the caller and the store with an {@link Interceptor}: {@link #failWhen} injects a
 * failure before a call or, with {@link When#AFTER}, after it took effect (a lost response);
 * {@link #pauseWhen} stops a chosen call until the test resumes it, for deterministic interleavings.
 */
public final class InMemoryObjectStore implements ObjectStore, SupportsConditionalDelete {
    /** Where an interceptor acts: before the call reaches the store, or after it took effect. */
    public enum When {
        BEFORE,
        AFTER
    }

    /** One store call as interceptors see it. */
    public record Call(String operation, Location location, When when) {
    }

    /** Sees every call before and after it takes effect; may throw (a fault) or block (a pause). */
    @FunctionalInterface
    public interface Interceptor {
        void intercept(Call call);
    }

    private record Stored(byte[] data, long generation, Instant modified, Map<String, String> checksums) {
    }

    private final StoreCapabilities capabilities;
    private final Clock clock;
    private final Map<String, NavigableMap<String, Stored>> buckets = new TreeMap<>();
    private final List<Interceptor> interceptors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long nextGeneration = 1;

    /** A store for {@code mem://} locations. */
    public InMemoryObjectStore() {
        this(Scheme.MEMORY);
    }

    /** A store that answers for another scheme's locations, to stand in for a cloud in unit tests. */
    public InMemoryObjectStore(Scheme scheme) {
        this(scheme, 1000, Clock.systemUTC());
    }

    /** A store with a given delete batch limit and clock. */
    public InMemoryObjectStore(Scheme scheme, int maxDeleteBatchSize, Clock clock) {
        this.capabilities = StoreCapabilities.full(scheme, maxDeleteBatchSize, 5000);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds an interceptor; it sees every later call. */
    public InMemoryObjectStore intercept(Interceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /** Removes every interceptor. */
    public void clearInterceptors() {
        interceptors.clear();
    }

    /**
     * Fails the calls that match, {@code times} times at most, with a {@link ErrorKind#TRANSIENT} failure; with
     * {@link When#AFTER} the call has taken effect first, as when a response is lost.
     *
     * @return how many failures were injected so far
     */
    public AtomicInteger failWhen(Predicate<Call> matching, When when, int times) {
        AtomicInteger injected = new AtomicInteger();
        intercept(call -> {
            if (call.when() == when && matching.test(call) && injected.getAndIncrement() < times) {
                throw new StoreException(ErrorKind.TRANSIENT, call.operation(), call.location(),
                        "fault injected " + (when == When.AFTER ? "after the call took effect" : "before the call"));
            }
        });
        return injected;
    }

    /** Stops the first call that matches, at the given point, until {@link Pause#resume()}. */
    public Pause pauseWhen(Predicate<Call> matching, When when) {
        Pause pause = new Pause();
        intercept(call -> {
            if (call.when() == when && matching.test(call) && pause.claim()) {
                pause.hold();
            }
        });
        return pause;
    }

    /** A call held by {@link #pauseWhen}. */
    public static final class Pause {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        void hold() {
            reached.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(ErrorKind.INTERRUPTED, "pause", null, "interrupted while paused", e);
            }
        }

        /** Waits until a call reached the pause; false if none did in time. */
        public boolean awaitReached(long timeout, TimeUnit unit) throws InterruptedException {
            return reached.await(timeout, unit);
        }

        /** Lets the held call (and any later one) go on. */
        public void resume() {
            released.countDown();
        }
    }

    private void hook(String operation, Location location, When when) {
        for (Interceptor i : interceptors) {
            i.intercept(new Call(operation, location, when));
        }
    }

    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    private NavigableMap<String, Stored> bucket(Location location) {
        String name = location.bucket() + (location.account() == null ? "" : "@" + location.account());
        return buckets.computeIfAbsent(name, b -> new TreeMap<>(UTF8Order.COMPARATOR));
    }

    private static ObjectInfo info(String key, Stored s) {
        return new ObjectInfo(key, s.data.length, Long.toString(s.generation), s.checksums, s.modified);
    }

    @Override
    public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
        hook("list", prefix, When.BEFORE);
        ListPage page;
        synchronized (this) {
            String p = prefix.prefix();
            // A token names the last entry of the previous page and its kind: "o:" an object (resume after it),
            // "d:" a directory of a delimited listing (resume after everything below it). A key ending in '/'
            // (a folder placeholder) is an object, so the kind cannot be told from the key.
            String after = pageToken == null ? null : pageToken.substring(2);
            boolean afterDirectory = pageToken != null && pageToken.startsWith("d:");
            if (pageToken != null && !pageToken.startsWith("o:") && !afterDirectory) {
                throw new StoreException(ErrorKind.INVALID_INPUT, "list", prefix, "not a page token of this store");
            }
            NavigableMap<String, Stored> objects = bucket(prefix).tailMap(after == null ? p : after, after == null);
            List<ObjectInfo> found = new ArrayList<>();
            List<String> directories = new ArrayList<>();
            String last = null;
            String next = null;
            for (Map.Entry<String, Stored> e : objects.entrySet()) {
                String key = e.getKey();
                if (!key.startsWith(p)) {
                    break;
                }
                // A key equal to the prefix (a folder placeholder) is listed, as the cloud services do; the
                // Store facade sets it apart.
                if (afterDirectory && key.startsWith(after)) {
                    continue;
                }
                String dir = null;
                if (delimited) {
                    int slash = key.indexOf('/', p.length());
                    if (slash >= 0) {
                        dir = key.substring(0, slash + 1);
                    }
                }
                if (dir != null && ("d:" + dir).equals(last)) {
                    continue;
                }
                if (found.size() + directories.size() == pageSize) {
                    next = last;
                    break;
                }
                if (dir != null) {
                    directories.add(dir);
                    last = "d:" + dir;
                } else {
                    found.add(info(key, e.getValue()));
                    last = "o:" + key;
                }
            }
            page = new ListPage(found, directories, next);
        }
        hook("list", prefix, When.AFTER);
        return page;
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        hook("stat", location, When.BEFORE);
        Optional<ObjectInfo> result;
        synchronized (this) {
            Stored s = bucket(location).get(location.key());
            result = s == null ? Optional.empty() : Optional.of(info(location.key(), s));
        }
        hook("stat", location, When.AFTER);
        return result;
    }

    @Override
    public InputStream get(Location location, GetOptions options) {
        hook("get", location, When.BEFORE);
        byte[] data;
        synchronized (this) {
            Stored s = bucket(location).get(location.key());
            if (s == null) {
                throw new ObjectNotFoundException("get", location, null);
            }
            if (options.expectedVersion() != null && !options.expectedVersion().equals(Long.toString(s.generation))) {
                throw new PreconditionFailedException("get", location, "the object is no longer version "
                        + options.expectedVersion() + " (now " + s.generation + ")", null);
            }
            data = s.data;
        }
        hook("get", location, When.AFTER);
        int from = (int) Math.min(options.offset(), data.length);
        int to = options.length() < 0 ? data.length : (int) Math.min(data.length, from + options.length());
        return new ByteArrayInputStream(data, from, to - from);
    }

    @Override
    public ObjectInfo put(Location location, Payload payload, PutMode mode) {
        hook("put", location, When.BEFORE);
        byte[] data;
        try (InputStream in = payload.open()) {
            data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, payload.length()));
        } catch (IOException e) {
            throw new StoreException(ErrorKind.TRANSIENT, "put", location, e.toString(), e);
        }
        if (data.length != payload.length()) {
            throw new StoreException(ErrorKind.INVALID_INPUT, "put", location, "the data ended after " + data.length
                    + " of " + payload.length() + " bytes");
        }
        ObjectInfo result = store("put", location, data, mode);
        hook("put", location, When.AFTER);
        return result;
    }

    private synchronized ObjectInfo store(String operation, Location location, byte[] data, PutMode mode) {
        NavigableMap<String, Stored> bucket = bucket(location);
        Stored existing = bucket.get(location.key());
        if (mode instanceof PutMode.Create && existing != null) {
            throw new PreconditionFailedException(operation, location, null);
        }
        if (mode instanceof PutMode.Update) {
            String expected = ((PutMode.Update) mode).version();
            if (existing == null) {
                throw new PreconditionFailedException(operation, location, "an update expected version " + expected
                        + " but there is no object", null);
            }
            if (!expected.equals(Long.toString(existing.generation))) {
                throw new PreconditionFailedException(operation, location, "an update expected version " + expected
                        + " but the object is version " + existing.generation, null);
            }
        }
        Stored s = new Stored(data, nextGeneration++, clock.instant(), checksums(data));
        bucket.put(location.key(), s);
        return info(location.key(), s);
    }

    private static Map<String, String> checksums(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        String crc32c = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        try {
            String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
            return Map.of("crc32c", crc32c, "md5", md5);
        } catch (NoSuchAlgorithmException e) {
            return Map.of("crc32c", crc32c);
        }
    }

    @Override
    public ObjectInfo copy(Location source, Location target, CopyOptions options) {
        hook("copy-source", source, When.BEFORE);
        hook("copy", target, When.BEFORE);
        ObjectInfo result;
        synchronized (this) {
            Stored s = bucket(source).get(source.key());
            if (s == null) {
                throw new ObjectNotFoundException("copy", source, null);
            }
            if (options.sourceVersion() != null && !options.sourceVersion().equals(Long.toString(s.generation))) {
                throw new PreconditionFailedException("copy", target, "the source " + source + " changed since it was"
                        + " listed: expected version " + options.sourceVersion() + ", now " + s.generation, null);
            }
            result = store("copy", target, s.data, options.destination());
        }
        hook("copy", target, When.AFTER);
        return result;
    }

    @Override
    public List<DeleteResult> delete(List<Location> locations) {
        List<DeleteResult> results = new ArrayList<>(locations.size());
        for (Location location : locations) {
            results.add(deleteOne(location, null));
        }
        return results;
    }

    /** Always: the condition is checked where the store itself decides it. */
    @Override
    public boolean enforcesPinnedDeletes(Location location) {
        return true;
    }

    @Override
    public List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects) {
        List<DeleteResult> results = new ArrayList<>(objects.size());
        for (ObjectVersion object : objects) {
            results.add(deleteOne(object.location(), object.version()));
        }
        return results;
    }

    /** Deletes one object under the store's lock, only while it is version {@code expected} unless that is null. */
    private DeleteResult deleteOne(Location location, String expected) {
        try {
            hook("delete", location, When.BEFORE);
            Stored kept = null;
            synchronized (this) {
                Stored now = bucket(location).get(location.key());
                if (expected != null && now != null && !expected.equals(Long.toString(now.generation))) {
                    kept = now;
                } else {
                    bucket(location).remove(location.key());
                }
            }
            hook("delete", location, When.AFTER);
            return kept == null ? DeleteResult.deleted(location) : DeleteResult.failed(location,
                    ErrorKind.PRECONDITION_FAILED, "the object is now version " + kept.generation
                    + ", not the listed " + expected + "; kept");
        } catch (StoreException e) {
            return DeleteResult.failed(location, e.kind(), e.getMessage());
        }
    }

    /** The bytes now stored at {@code location}, for tests; empty if there is no object. */
    public synchronized Optional<byte[]> contents(Location location) {
        Stored s = bucket(location).get(location.key());
        return s == null ? Optional.empty() : Optional.of(Arrays.copyOf(s.data, s.data.length));
    }

    /** How many objects the store holds in all buckets. */
    public synchronized int objectCount() {
        int n = 0;
        for (NavigableMap<String, Stored> b : buckets.values()) {
            n += b.size();
        }
        return n;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "InMemoryObjectStore{" + capabilities.scheme().uriScheme() + "}";
    }
}
