package io.atomiccheckpoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectStore;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.UTF8Order;
import io.atomiccheckpoint.store.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ObjectStore} must have for the commit protocol to be safe. A store module
 * subclasses this in its tests and supplies a store and a fresh scratch location per test.
 *
 * <p>Where an emulator lacks a behaviour the real service has, the subclass overrides the hook method (for
 * example {@link #assertCreateOnlyCopyRefused}) and adds a test whose name states the emulator's gap.
 */
public abstract class ObjectStoreContract {

    /** The store under test. */
    protected abstract ObjectStore store();

    /** A location no other test uses, below which this test may write (a fresh prefix in a test bucket). */
    protected abstract Location newScratchLocation();

    /** Size of the object used by the large-object test; large enough to take the store's multi-part path if small. */
    protected int largeObjectBytes() {
        return 3 * 1024 * 1024 + 17;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected byte[] readAll(Location location) {
        try (InputStream in = store().read(location)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected List<String> keys(Stream<ObjectInfo> listing) {
        try (listing) {
            return listing.map(ObjectInfo::key).collect(Collectors.toList());
        }
    }

    @Test
    void writeThenReadReturnsTheSameBytesAndSize() {
        Location loc = newScratchLocation().resolve("dir/object.bin");
        byte[] data = random(10_000, 1);
        ObjectInfo written = store().write(loc, data, WriteMode.OVERWRITE);
        assertThat(written.key()).isEqualTo(loc.key());
        assertThat(written.size()).isEqualTo(data.length);
        assertThat(readAll(loc)).isEqualTo(data);
        ObjectInfo stat = store().stat(loc).orElseThrow();
        assertThat(stat.size()).isEqualTo(data.length);
        assertThat(stat.version()).isEqualTo(written.version());
    }

    @Test
    void emptyObjectRoundTrips() {
        Location loc = newScratchLocation().resolve("empty");
        store().write(loc, new byte[0], WriteMode.CREATE);
        assertThat(store().stat(loc).orElseThrow().size()).isZero();
        assertThat(readAll(loc)).isEmpty();
    }

    @Test
    void unicodeKeysRoundTrip() {
        Location root = newScratchLocation();
        Location loc = root.resolve("ünï/名前 with space.txt");
        store().write(loc, bytes("x"), WriteMode.CREATE);
        assertThat(readAll(loc)).isEqualTo(bytes("x"));
        assertThat(keys(store().list(root))).containsExactly(loc.key());
    }

    @Test
    void statOfMissingObjectIsEmpty() {
        assertThat(store().stat(newScratchLocation().resolve("missing"))).isEmpty();
    }

    @Test
    void readOfMissingObjectThrowsObjectNotFound() {
        Location loc = newScratchLocation().resolve("missing");
        assertThatThrownBy(() -> readAll(loc)).isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(loc.toString());
    }

    @Test
    void secondCreateOnlyWriteFailsWithPreconditionAndKeepsTheFirst() {
        Location loc = newScratchLocation().resolve("commit_success.txt");
        store().write(loc, bytes("first"), WriteMode.CREATE);
        assertThatThrownBy(() -> store().write(loc, bytes("second"), WriteMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining(loc.toString());
        assertThat(readAll(loc)).isEqualTo(bytes("first"));
    }

    @Test
    void createOnlyWriteRaceHasExactlyOneWinner() throws Exception {
        Location loc = newScratchLocation().resolve("marker");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                byte[] data = bytes("writer-" + i);
                Callable<Boolean> attempt = () -> {
                    start.await();
                    try {
                        store().write(loc, data, WriteMode.CREATE);
                        return true;
                    } catch (PreconditionFailedException lost) {
                        return false;
                    }
                };
                outcomes.add(pool.submit(attempt));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> f : outcomes) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(new String(readAll(loc), StandardCharsets.UTF_8)).startsWith("writer-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void overwriteReplacesTheObjectAndChangesItsVersion() {
        Location loc = newScratchLocation().resolve("object");
        ObjectInfo first = store().write(loc, bytes("one"), WriteMode.OVERWRITE);
        ObjectInfo second = store().write(loc, bytes("two!"), WriteMode.OVERWRITE);
        assertThat(readAll(loc)).isEqualTo(bytes("two!"));
        assertThat(second.size()).isEqualTo(4);
        if (first.version().isPresent() && second.version().isPresent()) {
            assertThat(second.version()).isNotEqualTo(first.version());
        }
    }

    @Test
    void largeObjectStreamsInAndOut() {
        Location loc = newScratchLocation().resolve("large.bin");
        byte[] data = random(largeObjectBytes(), 7);
        ObjectInfo info = store().write(loc, new ByteArrayInputStream(data), data.length, WriteMode.CREATE);
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(readAll(loc)).isEqualTo(data);
    }

    @Test
    void writeWhoseStreamEndsEarlyFailsAndLeavesNothing() {
        Location loc = newScratchLocation().resolve("short");
        assertThatThrownBy(() -> store().write(loc, new ByteArrayInputStream(bytes("abc")), 10, WriteMode.CREATE))
                .isInstanceOf(RuntimeException.class);
        assertThat(store().stat(loc)).isEmpty();
    }

    @Test
    void copyDuplicatesContentAndReportsTheTarget() {
        Location root = newScratchLocation();
        Location src = root.resolve("src/a.bin");
        Location dst = root.resolve("dst/a.bin");
        byte[] data = random(100_000, 3);
        ObjectInfo source = store().write(src, data, WriteMode.CREATE);
        ObjectInfo copied = store().copy(src, dst, WriteMode.CREATE);
        assertThat(copied.key()).isEqualTo(dst.key());
        assertThat(copied.size()).isEqualTo(data.length);
        assertThat(copied.sameContentAs(source)).isNotEqualTo(java.util.Optional.of(false));
        assertThat(readAll(dst)).isEqualTo(data);
        assertThat(readAll(src)).isEqualTo(data);
    }

    @Test
    void createOnlyCopyOntoAnExistingObjectFails() {
        assertCreateOnlyCopyRefused();
    }

    /**
     * Asserts that a create-only copy onto an existing object fails with {@link PreconditionFailedException}
     * and leaves the target unchanged. Override only for an emulator that cannot enforce it, and add a test
     * named for that gap.
     */
    protected void assertCreateOnlyCopyRefused() {
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        store().write(src, bytes("new"), WriteMode.CREATE);
        store().write(dst, bytes("committed"), WriteMode.CREATE);
        assertThatThrownBy(() -> store().copy(src, dst, WriteMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining(dst.toString());
        assertThat(readAll(dst)).isEqualTo(bytes("committed"));
    }

    @Test
    void copyOfMissingSourceThrowsObjectNotFound() {
        Location root = newScratchLocation();
        assertThatThrownBy(() -> store().copy(root.resolve("nope"), root.resolve("target"), WriteMode.CREATE))
                .isInstanceOf(ObjectNotFoundException.class);
        assertThat(store().stat(root.resolve("target"))).isEmpty();
    }

    @Test
    void listingIsRecursiveSortedCompleteAndPaged() {
        Location root = newScratchLocation();
        List<String> expected = new ArrayList<>();
        for (String name : new String[] {"a", "b/c", "b/d/e", "b-x", "c0", "z", "b/d/f", "m/n", "ü", "0"}) {
            store().write(root.resolve(name), bytes(name), WriteMode.CREATE);
            expected.add(root.resolve(name).key());
        }
        expected.sort(UTF8Order.COMPARATOR);
        assertThat(keys(store().list(root, 3))).containsExactlyElementsOf(expected);

        int pages = 0;
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            ListPage page = store().listPage(root, false, token, 3);
            assertThat(page.objects().size()).isLessThanOrEqualTo(3);
            page.objects().forEach(o -> paged.add(o.key()));
            token = page.nextPageToken().orElse(null);
            pages++;
            assertThat(pages).as("listing must terminate").isLessThan(50);
        } while (token != null);
        assertThat(pages).isGreaterThanOrEqualTo(4);
        assertThat(paged).containsExactlyElementsOf(expected);
    }

    @Test
    void listingStopsAtTheDirectoryBoundary() {
        Location root = newScratchLocation();
        store().write(root.resolve("p/a"), bytes("1"), WriteMode.CREATE);
        store().write(root.resolve("p-x/b"), bytes("2"), WriteMode.CREATE);
        store().write(root.resolve("pp/c"), bytes("3"), WriteMode.CREATE);
        store().write(root.resolve("p.orbax-checkpoint-tmp/d"), bytes("4"), WriteMode.CREATE);
        assertThat(keys(store().list(root.resolve("p")))).containsExactly(root.resolve("p/a").key());
        assertThat(keys(store().list(root.resolve("absent")))).isEmpty();
    }

    @Test
    void delimitedListingReturnsDirectChildrenAndDirectoriesOnce() {
        Location root = newScratchLocation();
        for (String name : new String[] {"a", "d1/x", "d2/y", "d2/z", "d3/deep/w", "e"}) {
            store().write(root.resolve(name), bytes(name), WriteMode.CREATE);
        }
        List<Location> dirs;
        try (Stream<Location> s = store().listDirectories(root)) {
            dirs = s.collect(Collectors.toList());
        }
        assertThat(dirs).containsExactly(root.resolve("d1"), root.resolve("d2"), root.resolve("d3"));

        List<String> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String token = null;
        do {
            ListPage page = store().listPage(root, true, token, 2);
            page.objects().forEach(o -> objects.add(o.key()));
            prefixes.addAll(page.directories());
            token = page.nextPageToken().orElse(null);
        } while (token != null);
        assertThat(objects).containsExactly(root.resolve("a").key(), root.resolve("e").key());
        assertThat(prefixes.stream().distinct().collect(Collectors.toList()))
                .containsExactly(root.resolve("d1").key() + "/", root.resolve("d2").key() + "/",
                        root.resolve("d3").key() + "/");
    }

    @Test
    void batchDeleteReportsEveryObjectAndMissingOnesSucceed() {
        Location root = newScratchLocation();
        List<Location> targets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Location loc = root.resolve("obj-" + i);
            store().write(loc, bytes("x" + i), WriteMode.CREATE);
            targets.add(loc);
        }
        targets.add(root.resolve("never-written"));
        List<DeleteResult> results = store().deleteBatch(targets);
        assertThat(results).hasSize(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            assertThat(results.get(i).location()).isEqualTo(targets.get(i));
            assertThat(results.get(i).succeeded()).as(results.get(i).toString()).isTrue();
        }
        assertThat(keys(store().list(root))).isEmpty();
    }

    @Test
    void batchDeleteAcceptsTheStoresMaximumBatchSize() {
        assertThat(store().maxDeleteBatchSize()).isBetween(1, 1000);
    }

    @Test
    void deleteOfMissingObjectSucceeds() {
        Location loc = newScratchLocation().resolve("missing");
        store().delete(loc);
        store().write(loc, bytes("x"), WriteMode.CREATE);
        store().delete(loc);
        assertThat(store().stat(loc)).isEmpty();
    }

    @Test
    void storeExceptionsNameTheLocation() {
        Location loc = newScratchLocation().resolve("absent/thing");
        assertThatThrownBy(() -> store().copy(loc, loc.sibling("other"), WriteMode.CREATE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(loc.toString());
    }
}
