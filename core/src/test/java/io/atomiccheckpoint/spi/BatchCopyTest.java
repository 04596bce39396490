package io.atomiccheckpoint.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Batched copies ({@link SupportsBatchCopy}) through the facade, the forwarding wrappers and the commit, on the
 * in-memory store, which enforces every condition (the GCS emulator ignores rewrite conditions). The batching store
 * here sends each copy of a batch to the in-memory store and records the batch sizes.
 */
class BatchCopyTest {
    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final Batching batching = new Batching(memory, 10);
    private final Location root = Location.parse("mem://bucket/run");

    /** A store with batches of {@code max} copies, each copy then made singly by the wrapped store. */
    static class Batching extends ForwardingObjectStore {
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        private final int max;

        Batching(ObjectStore delegate, int max) {
            super(delegate);
            this.max = max;
        }

        @Override
        protected void beforeCall(String operation, Location location) {
        }

        @Override
        public int maxCopyBatch(Location location) {
            return max;
        }

        @Override
        public List<CopyOutcome> copyBatch(List<CopyRequest> copies) {
            assertThat(copies.size()).isLessThanOrEqualTo(max);
            batches.add(copies.size());
            List<CopyOutcome> outcomes = new ArrayList<>();
            for (CopyRequest c : copies) {
                try {
                    outcomes.add(CopyOutcome.copied(delegate().copy(c.source(), c.target(), c.options())));
                } catch (StoreException e) {
                    outcomes.add(CopyOutcome.failed(e));
                }
            }
            return outcomes;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<CopyRequest> copies(Store store, int count) {
        List<CopyRequest> copies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectInfo source = store.write(root.resolve("src/o" + i), bytes("o" + i), PutMode.CREATE);
            copies.add(new CopyRequest(root.resolve("src/o" + i), root.resolve("dst/o" + i),
                    CopyOptions.pinnedTo(source, PutMode.CREATE)));
        }
        return copies;
    }

    @Test
    void theFacadeSplitsCopiesIntoTheStoresBatchesAndKeepsTheirOrder() {
        Store store = Store.of(batching);
        List<CopyRequest> copies = copies(store, 25);
        List<CopyOutcome> outcomes = store.copyBatch(copies);
        assertThat(batching.batches).containsExactly(10, 10, 5);
        for (int i = 0; i < 25; i++) {
            assertThat(outcomes.get(i).getOrThrow().key()).isEqualTo(copies.get(i).target().key());
        }
    }

    /** Outcomes that cannot be matched to their copies could report a copy that never happened: refused. */
    @Test
    void aStoreAnsweringWithTooFewOutcomesIsCorrupt() {
        Batching short1 = new Batching(memory, 10) {
            @Override
            public List<CopyOutcome> copyBatch(List<CopyRequest> copies) {
                return super.copyBatch(copies).subList(1, copies.size());
            }
        };
        Store store = Store.of(short1);
        List<CopyRequest> copies = copies(store, 3);
        assertThatThrownBy(() -> store.copyBatch(copies)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CORRUPT))
                .hasMessageContaining("the store answered 2 outcomes for a batch of 3 copies");
    }

    @Test
    void aPageTokenNotMadeByTheInMemoryStoreIsRefusedByName() {
        Store store = Store.of(memory);
        assertThatThrownBy(() -> store.listPage(root, false, "run/src/o1", 10)).isInstanceOfSatisfying(
                StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessageContaining("not a page token of this store");
    }

    @Test
    void storesWithoutBatchesCopyOneByOneWithTheSameOutcomes() {
        Store store = Store.of(memory);
        assertThat(store.maxCopyBatch(root)).isEqualTo(1);
        List<CopyRequest> copies = copies(store, 3);
        store.write(root.resolve("dst/o1"), bytes("theirs"), PutMode.CREATE);
        List<CopyOutcome> outcomes = store.copyBatch(copies);
        assertThat(outcomes.get(0).getOrThrow().size()).isEqualTo(2);
        assertThat(outcomes.get(1).failure()).get().isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> outcomes.get(1).getOrThrow()).isInstanceOf(PreconditionFailedException.class);
        assertThat(outcomes.get(2).getOrThrow().size()).isEqualTo(2);
    }

    @Test
    void aWrapperThatInterceptsSingleCopiesTurnsBatchesOffAndSeesEveryCopy() {
        List<Location> seen = new CopyOnWriteArrayList<>();
        ForwardingObjectStore intercepting = new ForwardingObjectStore(batching) {
            @Override
            protected void beforeCall(String operation, Location location) {
            }

            @Override
            public ObjectInfo copy(Location source, Location target, CopyOptions options) {
                seen.add(target);
                return super.copy(source, target, options);
            }
        };
        Store store = Store.of(intercepting);
        assertThat(store.maxCopyBatch(root)).isEqualTo(1);
        List<CopyRequest> copies = copies(store, 4);
        assertThat(store.copyBatch(copies)).allSatisfy(o -> assertThat(o.failure()).isEmpty());
        assertThat(seen).hasSize(4);
        assertThat(batching.batches).isEmpty();
    }

    @Test
    void aHookWrapperForwardsBatchesAndAFailedHookFailsOnlyItsOwnCopy() {
        ForwardingObjectStore failing = new ForwardingObjectStore(batching) {
            @Override
            protected void beforeCall(String operation, Location location) {
                if (operation.equals("copy") && location.name().equals("o2")) {
                    throw new StoreException(ErrorKind.TRANSIENT, "copy", location, "injected");
                }
            }
        };
        Store store = Store.of(failing);
        assertThat(store.maxCopyBatch(root)).isEqualTo(10);
        List<CopyRequest> copies = copies(store, 4);
        List<CopyOutcome> outcomes = store.copyBatch(copies);
        assertThat(batching.batches).containsExactly(3);
        assertThat(outcomes.get(2).failure()).get().extracting(StoreException::kind).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(store.stat(root.resolve("dst/o2"))).isEmpty();
        assertThat(outcomes.get(3).getOrThrow().key()).isEqualTo(root.resolve("dst/o3").key());
    }

    @Test
    void aCommitSendsItsCopiesInBatchesAndItsManifestListsEveryObjectInOrder() {
        Store store = Store.of(batching);
        PrefixCopyCommit strategy = new PrefixCopyCommit(store, CommitSettings.builder().listPageSize(7).build());
        Location finalLocation = root.resolve("step_1");
        TemporaryPath path = strategy.fromFinal(finalLocation);
        path.createBlocking();
        for (int i = 0; i < 23; i++) {
            path.staging().write("part-" + i, bytes("part " + i));
        }
        CommitResult result = path.commitBlocking();
        result.cleanup().toCompletableFuture().join();
        assertThat(result.copied()).isEqualTo(23);
        assertThat(batching.batches).containsExactlyInAnyOrder(10, 10, 3);
        DeepValidationReport report = strategy.validateDeep(finalLocation);
        assertThat(report.checked()).isEqualTo(23);
        assertThat(report.isIntact()).isTrue();
    }

    /** A different object already in the final location: the batch reports the refusal and the commit stops. */
    @Test
    void aCommitWhoseBatchMeetsAnotherWritersObjectIsAConflictAndOverwritesNothing() {
        Store store = Store.of(batching);
        PrefixCopyCommit strategy = new PrefixCopyCommit(store, CommitSettings.defaults());
        Location finalLocation = root.resolve("step_2");
        TemporaryPath path = strategy.fromFinal(finalLocation);
        path.createBlocking();
        for (int i = 0; i < 5; i++) {
            path.staging().write("part-" + i, bytes("part " + i));
        }
        store.write(finalLocation.resolve("part-3"), bytes("another writer's"), PutMode.CREATE);
        assertThatThrownBy(path::commitBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("already holds a different object")
                .hasRootCauseInstanceOf(PreconditionFailedException.class);
        assertThat(new String(store.readBytes(finalLocation.resolve("part-3")), StandardCharsets.UTF_8))
                .isEqualTo("another writer's");
        assertThat(store.stat(finalLocation.resolve(CommitSettings.DEFAULT_MARKER_NAME))).isEmpty();
    }
}
