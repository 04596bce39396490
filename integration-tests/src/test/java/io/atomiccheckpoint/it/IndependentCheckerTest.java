package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.IndependentChecker.Complete;
import io.atomiccheckpoint.it.IndependentChecker.Judgement;
import io.atomiccheckpoint.it.IndependentChecker.Staged;
import io.atomiccheckpoint.it.IndependentChecker.Torn;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import io.atomiccheckpoint.testkit.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checker itself must be able to fail: deliberately broken builds, made by wrapping the store so that the
 * protocol misbehaves, must show torn states and lost objects. Runs on the two in-process stores (filesystem and
 * in-memory, a few hundred milliseconds) and adds nothing to the evidence table: these are not the library's
 * results.
 */
class IndependentCheckerTest {
    private static final int OBJECTS = 6;
    private static final CommitSettings SETTINGS = CommitSettings.builder().copyConcurrency(1).build();

    static List<StoreUnderTest> stores() {
        return List.of(Stores.filesystem(), Stores.memory());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aCorrectCommitIsCompleteOfItsWriterAndAnUncommittedOneIsAbsent(StoreUnderTest under) {
        Location root = under.newScratchLocation();
        Location finalLocation = root.resolve("step_1");
        Staged w = Staged.seeded("w", finalLocation, OBJECTS);
        Staged other = Staged.seeded("other", finalLocation, OBJECTS);
        IndependentChecker checker = new IndependentChecker(under.store(), SETTINGS);
        PrefixCopyCommit strategy = new PrefixCopyCommit(under.store(), SETTINGS);

        TemporaryPath path = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("w").build());
        path.createBlocking();
        w.stageInto(path.staging());
        assertThat(checker.judgeWithLibrary(strategy, root, finalLocation, List.of(w, other)).absent()).isTrue();
        path.commitBlocking().cleanup().toCompletableFuture().join();
        Judgement judged = checker.judgeWithLibrary(strategy, root, finalLocation, List.of(w, other));
        assertThat(judged.verdict()).isEqualTo(new Complete("w"));
        assertThat(judged.libraryAgrees()).as(judged.toString()).isTrue();
        assertThat(judged.lostOf("w")).isZero();
        // Same names, other bytes: the other writer's objects are not this checkpoint.
        assertThat(judged.completeOf("other")).isFalse();
    }

    /**
     * A broken build whose commit leaves out the last staged object: the listing of the attempt hides it, so the
     * marker does not list it either. The library's validators accept that checkpoint (its manifest matches what
     * is there); the checker calls it torn and counts the object lost.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aCommitThatSkipsTheLastObjectIsTornAndLosesIt(StoreUnderTest under) {
        Location root = under.newScratchLocation();
        Location finalLocation = root.resolve("step_1");
        Staged w = Staged.seeded("w", finalLocation, OBJECTS);
        String last = w.names().get(OBJECTS - 1);
        Store broken = Store.of(new HidesFromListings(under.store().spi(), last));
        PrefixCopyCommit strategy = new PrefixCopyCommit(broken, SETTINGS);
        TemporaryPath path = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("w").build());
        path.createBlocking();
        w.stageInto(path.staging());
        path.commitBlocking();

        Judgement judged = new IndependentChecker(under.store(), SETTINGS).judgeWithLibrary(
                new PrefixCopyCommit(under.store(), SETTINGS), root, finalLocation, List.of(w));
        assertThat(judged.verdict()).isInstanceOf(Torn.class);
        assertThat(((Torn) judged.verdict()).missing()).isEqualTo(1);
        assertThat(judged.lostOf("w")).isEqualTo(1);
        // The blind spot the checker exists for: the manifest agrees with the objects, so the library says complete.
        assertThat(judged.libraryCallsTornComplete()).as(judged.toString()).isTrue();
    }

    /**
     * A broken build whose clean-up deletes outside its attempt: every delete of a temporary object also hits the
     * same name in the final location, as a clean-up or {@code create()} that deleted without checking what it
     * deletes would. After the commit and its clean-up the checker sees the marker without its objects.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aCleanUpThatDeletesCommittedObjectsIsTornAndLosesThem(StoreUnderTest under) {
        Location root = under.newScratchLocation();
        Location finalLocation = root.resolve("step_1");
        Staged w = Staged.seeded("w", finalLocation, OBJECTS);
        Store broken = Store.of(new DeletesIntoTheFinalLocation(under.store().spi(), finalLocation));
        PrefixCopyCommit strategy = new PrefixCopyCommit(broken, SETTINGS);
        TemporaryPath path = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("w").build());
        path.createBlocking();
        w.stageInto(path.staging());
        path.commitBlocking().cleanup().toCompletableFuture().join();

        Judgement judged = new IndependentChecker(under.store(), SETTINGS).judgeWithLibrary(
                new PrefixCopyCommit(under.store(), SETTINGS), root, finalLocation, List.of(w));
        assertThat(judged.torn()).as(judged.toString()).isTrue();
        assertThat(judged.lostOf("w")).isEqualTo(OBJECTS);
        // Here deep validation sees the missing objects too (validateFinal and CheckpointDirectory read the marker only).
        assertThat(judged.libraryCallsTornComplete()).as(judged.toString()).isFalse();
    }

    /** Objects of one name vanish from every listing of the temporary prefix (the commit never sees them). */
    private static final class HidesFromListings extends ForwardingObjectStore {
        private final String hidden;

        HidesFromListings(ObjectStore delegate, String hidden) {
            super(delegate);
            this.hidden = hidden;
        }

        @Override
        protected void beforeCall(String operation, Location location) {
        }

        @Override
        public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
            ListPage page = super.list(prefix, delimited, pageToken, pageSize);
            List<ObjectInfo> kept = page.objects().stream()
                    .filter(o -> !(o.key().endsWith("/" + hidden) && o.key().contains(SETTINGS.temporarySuffix())))
                    .collect(Collectors.toList());
            return new ListPage(kept, page.directories(), page.nextPageToken().orElse(null));
        }
    }

    /** Every delete below the temporary location also deletes the same relative name in the final location. */
    private static final class DeletesIntoTheFinalLocation extends ForwardingObjectStore {
        private final Location finalLocation;
        private final Location temporary;

        DeletesIntoTheFinalLocation(ObjectStore delegate, Location finalLocation) {
            super(delegate);
            this.finalLocation = finalLocation;
            this.temporary = SETTINGS.temporaryFor(finalLocation);
        }

        @Override
        protected void beforeCall(String operation, Location location) {
        }

        @Override
        public List<DeleteResult> delete(List<Location> locations) {
            List<Location> widened = new ArrayList<>(locations);
            for (Location l : locations) {
                // temporary/attempt-<id>/<name> -> final/<name>
                temporary.relativeKey(l.key()).filter(r -> r.startsWith("attempt-") && r.indexOf('/') > 0)
                        .map(r -> finalLocation.resolve(r.substring(r.indexOf('/') + 1))).ifPresent(widened::add);
            }
            List<DeleteResult> results = super.delete(widened);
            return results.subList(0, locations.size());
        }
    }
}
