package io.atomiccheckpoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixDeletion;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.spi.UTF8Order;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.AtomicCheckpointException;
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
 * The behaviour every {@link io.atomiccheckpoint.spi.ObjectStore} must have for the commit protocol to be safe:
 * the acceptance test of a store implementation. A store module subclasses this in its tests and names its
 * {@link StoreUnderTest}.
 *
 * <p>Where an emulator lacks a behaviour the real service has, its {@link StoreUnderTest#gaps()} says so, the
 * subclass overrides the hook method (for example {@link #assertCreateOnlyCopyRefused}) to assert what the
 * store sends instead, and the module adds a test whose name states the emulator's gap.
 */
public abstract class ObjectStoreContract {

    /** The store under test and its scratch locations. */
    protected abstract StoreUnderTest subject();

    /** The store under test. */
    protected final Store store() {
        return subject().store();
    }

    /** A location no other test uses, below which this test may write (a fresh prefix in a test bucket). */
    protected final Location newScratchLocation() {
        return subject().newScratchLocation();
    }

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
        ObjectInfo written = store().write(loc, data, PutMode.OVERWRITE);
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
        store().write(loc, new byte[0], PutMode.CREATE);
        assertThat(store().stat(loc).orElseThrow().size()).isZero();
        assertThat(readAll(loc)).isEmpty();
    }

    @Test
    void unicodeKeysRoundTrip() {
        Location root = newScratchLocation();
        Location loc = root.resolve("ünï/名前 with space.txt");
        store().write(loc, bytes("x"), PutMode.CREATE);
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
        store().write(loc, bytes("first"), PutMode.CREATE);
        assertThatThrownBy(() -> store().write(loc, bytes("second"), PutMode.CREATE))
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
                        store().write(loc, data, PutMode.CREATE);
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
        ObjectInfo first = store().write(loc, bytes("one"), PutMode.OVERWRITE);
        ObjectInfo second = store().write(loc, bytes("two!"), PutMode.OVERWRITE);
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
        ObjectInfo info = store().write(loc, new ByteArrayInputStream(data), data.length, PutMode.CREATE);
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(readAll(loc)).isEqualTo(data);
    }

    @Test
    void writeWhoseStreamEndsEarlyFailsAndLeavesNothing() {
        Location loc = newScratchLocation().resolve("short");
        assertThatThrownBy(() -> store().write(loc, new ByteArrayInputStream(bytes("abc")), 10, PutMode.CREATE))
                .isInstanceOf(RuntimeException.class);
        assertThat(store().stat(loc)).isEmpty();
    }

    @Test
    void copyDuplicatesContentAndReportsTheTarget() {
        Location root = newScratchLocation();
        Location src = root.resolve("src/a.bin");
        Location dst = root.resolve("dst/a.bin");
        byte[] data = random(100_000, 3);
        ObjectInfo source = store().write(src, data, PutMode.CREATE);
        ObjectInfo copied = store().copy(src, dst, PutMode.CREATE);
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
        assertThat(subject().gaps()).as("override this hook for an emulator with this gap")
                .doesNotContain(StoreUnderTest.EmulatorGap.CREATE_ONLY_COPY_NOT_ENFORCED);
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        store().write(src, bytes("new"), PutMode.CREATE);
        store().write(dst, bytes("committed"), PutMode.CREATE);
        assertThatThrownBy(() -> store().copy(src, dst, PutMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining(dst.toString());
        assertThat(readAll(dst)).isEqualTo(bytes("committed"));
    }

    /**
     * A batch of copies ({@code Store.copyBatch}): each copy keeps its own conditions and gets its own outcome, in
     * input order, whether the store sends them in one request (GCS) or one by one (every other store).
     */
    @Test
    void copyBatchGivesEachCopyItsOwnConditionsAndOutcome() {
        Location src = newScratchLocation().resolve("src");
        Location dst = src.sibling("dst");
        ObjectInfo a = store().write(src.resolve("a"), bytes("a"), PutMode.CREATE);
        store().write(src.resolve("b"), bytes("bb"), PutMode.CREATE);
        store().write(src.resolve("c"), bytes("ccc"), PutMode.CREATE);
        store().write(dst.resolve("taken"), bytes("theirs"), PutMode.CREATE);
        ObjectInfo listed = store().write(src.resolve("stale"), bytes("old"), PutMode.CREATE);
        store().write(src.resolve("stale"), bytes("new"), PutMode.OVERWRITE);

        List<CopyOutcome> outcomes = store().copyBatch(List.of(
                new CopyRequest(src.resolve("a"), dst.resolve("a"), CopyOptions.pinnedTo(a, PutMode.CREATE)),
                new CopyRequest(src.resolve("b"), dst.resolve("b"), CopyOptions.of(PutMode.CREATE)),
                new CopyRequest(src.resolve("c"), dst.resolve("taken"), CopyOptions.of(PutMode.CREATE)),
                new CopyRequest(src.resolve("missing"), dst.resolve("missing"), CopyOptions.of(PutMode.CREATE)),
                new CopyRequest(src.resolve("stale"), dst.resolve("stale"), CopyOptions.pinnedTo(listed,
                        PutMode.CREATE))));

        assertThat(outcomes).hasSize(5);
        assertThat(outcomes.get(0).getOrThrow().key()).isEqualTo(dst.resolve("a").key());
        assertThat(outcomes.get(0).getOrThrow().size()).isEqualTo(1);
        assertThat(readAll(dst.resolve("a"))).isEqualTo(bytes("a"));
        assertThat(outcomes.get(1).getOrThrow().size()).isEqualTo(2);
        assertThat(readAll(dst.resolve("b"))).isEqualTo(bytes("bb"));
        assertThat(outcomes.get(3).failure()).get().isInstanceOf(ObjectNotFoundException.class);
        assertThat(store().stat(dst.resolve("missing"))).isEmpty();
        if (!subject().gaps().contains(StoreUnderTest.EmulatorGap.CREATE_ONLY_COPY_NOT_ENFORCED)) {
            assertThat(outcomes.get(2).failure()).get().isInstanceOf(PreconditionFailedException.class);
            assertThat(readAll(dst.resolve("taken"))).isEqualTo(bytes("theirs"));
        }
        if (!subject().gaps().contains(StoreUnderTest.EmulatorGap.PINNED_COPY_NOT_ENFORCED)) {
            assertThat(outcomes.get(4).failure()).get().isInstanceOf(PreconditionFailedException.class);
            assertThat(store().stat(dst.resolve("stale"))).isEmpty();
        }
    }

    @Test
    void copyOfMissingSourceThrowsObjectNotFound() {
        Location root = newScratchLocation();
        assertThatThrownBy(() -> store().copy(root.resolve("nope"), root.resolve("target"), PutMode.CREATE))
                .isInstanceOf(ObjectNotFoundException.class);
        assertThat(store().stat(root.resolve("target"))).isEmpty();
    }

    @Test
    void listingIsRecursiveSortedCompleteAndPaged() {
        assertPagedListing();
    }

    /** Names whose listing in pages of three has a page that starts at a non-ASCII key ({@code ü}, last). */
    protected static final List<String> LISTING_NAMES = List.of("a", "b/c", "b/d/e", "b-x", "c0", "z", "b/d/f", "m/n",
            "ü", "0");

    /**
     * Asserts that {@link #LISTING_NAMES} are listed recursively, in UTF-8 order, completely, and in pages that
     * continue where the last one stopped, also at a non-ASCII key. Override only for an emulator with
     * {@link StoreUnderTest.EmulatorGap#LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS}, asserting what it does instead
     * (with {@link #assertListedRecursiveSortedAndPaged}), and add a test named for that gap.
     */
    protected void assertPagedListing() {
        assertThat(subject().gaps()).as("override this hook for an emulator with this gap")
                .doesNotContain(StoreUnderTest.EmulatorGap.LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS);
        assertListedRecursiveSortedAndPaged(LISTING_NAMES);
    }

    /** Writes {@code names} below a fresh location and asserts their listing, whole and in pages of three. */
    protected final void assertListedRecursiveSortedAndPaged(List<String> names) {
        Location root = newScratchLocation();
        List<String> expected = new ArrayList<>();
        for (String name : names) {
            store().write(root.resolve(name), bytes(name), PutMode.CREATE);
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
        assertThat(pages).isGreaterThanOrEqualTo((names.size() + 2) / 3);
        assertThat(paged).containsExactlyElementsOf(expected);
    }

    @Test
    void listingStopsAtTheDirectoryBoundary() {
        Location root = newScratchLocation();
        store().write(root.resolve("p/a"), bytes("1"), PutMode.CREATE);
        store().write(root.resolve("p-x/b"), bytes("2"), PutMode.CREATE);
        store().write(root.resolve("pp/c"), bytes("3"), PutMode.CREATE);
        store().write(root.resolve("p.orbax-checkpoint-tmp/d"), bytes("4"), PutMode.CREATE);
        assertThat(keys(store().list(root.resolve("p")))).containsExactly(root.resolve("p/a").key());
        assertThat(keys(store().list(root.resolve("absent")))).isEmpty();
    }

    /**
     * Cloud consoles, Hadoop connectors and gcsfs make "folders" as zero-byte objects named {@code dir/}. Such a
     * placeholder is no object of the directory (it has no relative name), so listings leave it out instead of
     * failing, and deleting the directory removes it, or the parent would go on listing an empty directory. On
     * a local disk the folder is a real directory, and the same holds for it.
     */
    @Test
    void aFolderPlaceholderIsNoObjectOfItsDirectoryAndIsDeletedWithIt() {
        Location root = newScratchLocation();
        Location dir = root.resolve("p");
        Location placeholder = root.sameBucket(dir.prefix());
        store().write(dir.resolve("a"), bytes("1"), PutMode.CREATE);
        if (store().hasDirectories()) {
            store().createDirectory(root.resolve("q"), null);
        } else {
            store().write(placeholder, new byte[0], PutMode.CREATE);
            store().write(root.sameBucket(root.resolve("q").prefix()), new byte[0], PutMode.CREATE);
        }
        assertThat(keys(store().list(dir))).containsExactly(dir.resolve("a").key());
        assertThat(keys(store().list(root.resolve("q")))).isEmpty();
        assertThat(store().listPage(dir, true, null, 10).objects()).extracting(ObjectInfo::key)
                .containsExactly(dir.resolve("a").key());

        PrefixDeletion.run(store(), dir, CommitSettings.defaults(), n -> { });
        PrefixDeletion.run(store(), root.resolve("q"), CommitSettings.defaults(), n -> { });
        try (Stream<Location> dirs = store().listDirectories(root)) {
            assertThat(dirs).isEmpty();
        }
        assertThat(keys(store().list(root))).isEmpty();
        if (!store().hasDirectories()) {
            assertThat(store().stat(placeholder)).isEmpty();
        }
    }

    /**
     * Pages of one entry across folder placeholders, the directory's own and a nested one ({@code p/sub/}, listed
     * as an object of {@code p}): a page that ends on a placeholder must not make the next page skip what lies below
     * it (the in-memory store once took such a page token for a directory's and lost the rest of the listing).
     */
    @Test
    void pagesOfOneAcrossFolderPlaceholdersLoseNothing() {
        Location dir = newScratchLocation().resolve("p");
        store().write(dir.resolve("a"), bytes("1"), PutMode.CREATE);
        store().write(dir.resolve("sub/x"), bytes("2"), PutMode.CREATE);
        List<String> expected = new ArrayList<>(List.of(dir.resolve("a").key(), dir.resolve("sub/x").key()));
        if (!store().hasDirectories()) {
            store().write(dir.sameBucket(dir.prefix()), new byte[0], PutMode.CREATE);
            store().write(dir.sameBucket(dir.resolve("sub").prefix()), new byte[0], PutMode.CREATE);
            expected.add(1, dir.resolve("sub").prefix());
        }
        assertThat(keys(store().list(dir, 1))).containsExactlyElementsOf(expected);
        assertThat(keys(store().list(dir, 2))).containsExactlyElementsOf(expected);
    }

    /** Data under a name ending in '/' is not a placeholder: refused by name, never skipped and never deleted. */
    @Test
    void anObjectWithDataNamedLikeItsDirectoryIsRefusedNotSkipped() {
        Location dir = newScratchLocation().resolve("p");
        if (store().hasDirectories()) {
            // A local disk cannot hold a file and a directory of one name; the refusal is the store's.
            assertThatThrownBy(() -> store().write(dir.sameBucket(dir.prefix()), bytes("data"), PutMode.CREATE))
                    .isInstanceOf(AtomicCheckpointException.class);
            return;
        }
        store().write(dir.sameBucket(dir.prefix()), bytes("data"), PutMode.CREATE);
        assertThatThrownBy(() -> keys(store().list(dir))).isInstanceOf(StoreException.class)
                .hasMessageContaining("4 bytes is named like this directory itself");
        assertThat(store().stat(dir.sameBucket(dir.prefix()))).isPresent();
    }

    @Test
    void delimitedListingReturnsDirectChildrenAndDirectoriesOnce() {
        Location root = newScratchLocation();
        for (String name : new String[] {"a", "d1/x", "d2/y", "d2/z", "d3/deep/w", "e"}) {
            store().write(root.resolve(name), bytes(name), PutMode.CREATE);
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
            store().write(loc, bytes("x" + i), PutMode.CREATE);
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
    void pinnedDeletesKeepAReplacedObjectAndDeleteTheRest() {
        assertPinnedDeleteKeepsAReplacedObject();
    }

    /**
     * Asserts that a delete pinned to the listed versions deletes unchanged and missing objects and keeps, as a
     * failure of kind {@code PRECONDITION_FAILED}, one replaced since it was listed. A store without the ability
     * must say so through {@link Store#supportsConditionalDelete(Location)} and refuse the call (an S3 server
     * that ignores the condition, {@link StoreUnderTest.EmulatorGap#PINNED_DELETE_NOT_ENFORCED}; the s3 module
     * shows what the store sends where the server is trusted).
     */
    protected void assertPinnedDeleteKeepsAReplacedObject() {
        Location root = newScratchLocation();
        Location unchanged = root.resolve("unchanged");
        Location replaced = root.resolve("replaced");
        Location missing = root.resolve("missing");
        ObjectInfo a = store().write(unchanged, bytes("listed"), PutMode.CREATE);
        ObjectInfo b = store().write(replaced, bytes("listed"), PutMode.CREATE);
        ObjectInfo c = store().write(missing, bytes("listed"), PutMode.CREATE);
        store().write(replaced, bytes("written after the listing"), PutMode.OVERWRITE);
        store().delete(missing);
        List<ObjectVersion> pinned = List.of(ObjectVersion.listed(root, a), ObjectVersion.listed(root, b),
                ObjectVersion.listed(root, c));
        if (!store().supportsConditionalDelete(root)) {
            assertThat(subject().gaps()).as("a store that enforces every condition offers pinned deletes")
                    .contains(StoreUnderTest.EmulatorGap.PINNED_DELETE_NOT_ENFORCED);
            assertThatThrownBy(() -> store().deleteBatchIfUnchanged(pinned)).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.NOT_SUPPORTED));
            return;
        }
        List<DeleteResult> results = store().deleteBatchIfUnchanged(pinned);
        assertThat(results).hasSize(3);
        assertThat(results.get(0).succeeded()).as(results.get(0).toString()).isTrue();
        assertThat(results.get(2).succeeded()).as(results.get(2).toString()).isTrue();
        assertThat(store().stat(unchanged)).isEmpty();
        assertThat(results.get(1).succeeded()).as(results.get(1).toString()).isFalse();
        assertThat(results.get(1).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        assertThat(readAll(replaced)).isEqualTo(bytes("written after the listing"));
    }

    @Test
    void batchDeleteAcceptsABatchOfTheStoresMaximumSize() {
        int max = store().maxDeleteBatchSize();
        assertThat(max).isBetween(1, 1000);
        Location root = newScratchLocation();
        List<Location> targets = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            targets.add(root.resolve(String.format("o%04d", i)));
        }
        // Only a few exist: the point is that one request of the maximum size is accepted and reported in full.
        for (int i = 0; i < Math.min(max, 3); i++) {
            store().write(targets.get(i), bytes("x"), PutMode.CREATE);
        }
        List<io.atomiccheckpoint.store.DeleteResult> results = store().spi().delete(targets);
        assertThat(results).hasSize(max);
        assertThat(results).allSatisfy(r -> assertThat(r.succeeded()).as(r.toString()).isTrue());
        assertThat(keys(store().list(root))).isEmpty();
    }

    @Test
    void deleteOfMissingObjectSucceeds() {
        Location loc = newScratchLocation().resolve("missing");
        store().delete(loc);
        store().write(loc, bytes("x"), PutMode.CREATE);
        store().delete(loc);
        assertThat(store().stat(loc)).isEmpty();
    }

    @Test
    void storeExceptionsNameTheLocation() {
        Location loc = newScratchLocation().resolve("absent/thing");
        assertThatThrownBy(() -> store().copy(loc, loc.sibling("other"), PutMode.CREATE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(loc.toString());
    }

    @Test
    void updateWithTheCurrentVersionReplacesTheObjectAndReportsItsNewVersion() {
        Location loc = newScratchLocation().resolve("lease");
        ObjectInfo first = store().write(loc, bytes("one"), PutMode.CREATE);
        ObjectInfo second = store().write(loc, bytes("two"), PutMode.update(first.version().orElseThrow()));
        assertThat(second.version()).isPresent().isNotEqualTo(first.version());
        assertThat(store().stat(loc).orElseThrow().version()).isEqualTo(second.version());
        assertThat(readAll(loc)).isEqualTo(bytes("two"));
    }

    @Test
    void updateWithAStaleVersionIsRefusedAndChangesNothing() {
        Location loc = newScratchLocation().resolve("lease");
        ObjectInfo first = store().write(loc, bytes("one"), PutMode.CREATE);
        store().write(loc, bytes("two"), PutMode.update(first.version().orElseThrow()));
        assertThatThrownBy(() -> store().write(loc, bytes("three"), PutMode.update(first.version().orElseThrow())))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining(loc.toString())
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
        assertThat(readAll(loc)).isEqualTo(bytes("two"));
    }

    @Test
    void updateOfAMissingObjectIsRefused() {
        Location loc = newScratchLocation().resolve("lease");
        ObjectInfo gone = store().write(loc, bytes("one"), PutMode.CREATE);
        store().delete(loc);
        assertThatThrownBy(() -> store().write(loc, bytes("two"), PutMode.update(gone.version().orElseThrow())))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store().stat(loc)).isEmpty();
    }

    @Test
    void concurrentUpdatesFromOneVersionHaveExactlyOneWinner() throws Exception {
        Location loc = newScratchLocation().resolve("lease");
        String base = store().write(loc, bytes("base"), PutMode.CREATE).version().orElseThrow();
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                byte[] data = bytes("writer-" + i);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        store().write(loc, data, PutMode.update(base));
                        return true;
                    } catch (PreconditionFailedException lost) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> f : outcomes) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void copyResultIsWhatTheStoreHoldsAtTheTarget() {
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        ObjectInfo source = store().write(src, random(4096, 11), PutMode.CREATE);
        ObjectInfo copied = store().copy(src, dst, CopyOptions.pinnedTo(source, PutMode.CREATE));
        ObjectInfo there = store().stat(dst).orElseThrow();
        assertThat(copied.key()).isEqualTo(dst.key());
        assertThat(copied.size()).isEqualTo(there.size());
        assertThat(copied.version()).as("the copy reports the target's version, not the source's listing")
                .isEqualTo(there.version());
    }

    @Test
    void aCopyPinnedToAReplacedSourceIsRefusedAndNamesTheSource() {
        assertPinnedCopyOfChangedSourceRefused();
    }

    /**
     * Asserts that a copy pinned to a source version that was since replaced fails with
     * {@link PreconditionFailedException} naming the source, and creates nothing. Override only for an emulator
     * with {@link StoreUnderTest.EmulatorGap#PINNED_COPY_NOT_ENFORCED}, asserting what the store sends instead.
     */
    protected void assertPinnedCopyOfChangedSourceRefused() {
        assertThat(subject().gaps()).as("override this hook for an emulator with this gap")
                .doesNotContain(StoreUnderTest.EmulatorGap.PINNED_COPY_NOT_ENFORCED);
        Location root = newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        ObjectInfo listed = store().write(src, bytes("listed"), PutMode.CREATE);
        store().write(src, bytes("replaced later"), PutMode.OVERWRITE);
        assertThatThrownBy(() -> store().copy(src, dst, CopyOptions.pinnedTo(listed, PutMode.CREATE)))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining(src.toString());
        assertThat(store().stat(dst)).isEmpty();
    }

    @Test
    void aReadPinnedToAReplacedVersionIsRefused() {
        Location loc = newScratchLocation().resolve("obj");
        ObjectInfo first = store().write(loc, bytes("first"), PutMode.CREATE);
        try (InputStream in = store().read(loc, GetOptions.version(first.version().orElseThrow()))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes("first"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store().write(loc, bytes("second"), PutMode.OVERWRITE);
        assertThatThrownBy(() -> store().read(loc, GetOptions.version(first.version().orElseThrow())).close())
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void aRangeReadReturnsThoseBytes() throws IOException {
        Location loc = newScratchLocation().resolve("obj");
        byte[] data = random(10_000, 5);
        store().write(loc, data, PutMode.CREATE);
        try (InputStream in = store().read(loc, GetOptions.range(100, 50))) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 150));
        }
        try (InputStream in = store().read(loc, GetOptions.range(9_990, -1))) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 9_990, 10_000));
        }
    }

    @Test
    void errorsCarryTheirKind() {
        Location root = newScratchLocation();
        Location missing = root.resolve("missing");
        assertThatThrownBy(() -> readAll(missing)).isInstanceOf(AtomicCheckpointException.class)
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> store().copy(missing, root.resolve("t"), PutMode.CREATE))
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        store().write(root.resolve("x"), bytes("x"), PutMode.CREATE);
        assertThatThrownBy(() -> store().write(root.resolve("x"), bytes("y"), PutMode.CREATE))
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind())
                        .isEqualTo(ErrorKind.PRECONDITION_FAILED));
        Location bucketRoot = root.sameBucket("");
        assertThatThrownBy(() -> store().stat(bucketRoot))
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> store().listPage(root, false, null, 0))
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }

    @Test
    void anInterruptedCallKeepsTheInterruptStatus() {
        Location loc = newScratchLocation().resolve("obj");
        Thread.currentThread().interrupt();
        try {
            store().stat(loc);
        } catch (AtomicCheckpointException e) {
            assertThat(e.kind()).isIn(ErrorKind.INTERRUPTED, ErrorKind.TRANSIENT);
        } finally {
            assertThat(Thread.interrupted()).as("interrupt status after the call").isTrue();
        }
    }
}
