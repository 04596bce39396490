package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.AttemptNotSealedException;
import io.atomiccheckpoint.atomicity.AttemptSupersededException;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStateUnknownException;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.Call;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.Pause;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.When;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Stale writers, lost responses, resumes and cancellation against the fenced commit, each interleaving forced
 * with the in-memory store's pauses rather than timing: the properties of the fenced-commit design, one test each.
 */
class FencedCommitTest {
    private static final String MARKER = CommitSettings.DEFAULT_MARKER_NAME;
    private static final long WAIT_SECONDS = 30;

    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final Store store = Store.of(memory);
    private final PrefixCopyCommit strategy = new PrefixCopyCommit(store,
            CommitSettings.builder().copyConcurrency(2).listPageSize(3).build());
    private final Location root = Location.parse("mem://bucket/run");
    private final Location finalLocation = root.resolve("step_1");

    private static Predicate<Call> markerCopy() {
        return c -> c.operation().equals("copy") && c.location().name().equals(MARKER);
    }

    private static List<String> stage(TemporaryPath path, String prefix, int count) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "/part-" + i;
            path.staging().write(name, (prefix + " " + i).getBytes(StandardCharsets.UTF_8));
            names.add(name);
        }
        return names;
    }

    private List<String> finalNames() {
        try (Stream<ObjectInfo> listing = store.list(finalLocation)) {
            return listing.map(o -> finalLocation.relativeKey(o.key()).orElseThrow()).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> withMarker(List<String> names) {
        List<String> all = new java.util.ArrayList<>(names);
        all.add(MARKER);
        all.sort(null);
        return all;
    }

    /** An observer that holds the commit at one step until released. */
    private static final class HoldAt implements io.atomiccheckpoint.atomicity.CommitObserver {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final CommitStep step;

        HoldAt(CommitStep step) {
            this.step = step;
        }

        @Override
        public void onStep(CommitStep at, long index) {
            if (at == step && reached.getCount() > 0) {
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected the commit to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the commit did not finish", e);
        }
    }

    @Test
    void aStaleWriterHeldBeforeItsMarkerIsFencedAndLeavesNoCheckpoint() throws Exception {
        HoldAt hold = new HoldAt(CommitStep.BEFORE_MARKER);
        TemporaryPath a = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("a")
                .observer(hold).build());
        a.createBlocking();
        stage(a, "a", 20);
        CompletableFuture<CommitResult> stale = a.commit().toCompletableFuture();
        assertThat(hold.reached.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        TemporaryPath b = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("b").build());
        b.createBlocking();
        assertThat(finalNames()).as("b's create() removed a's unmarked copies").isEmpty();
        hold.release.countDown();

        Throwable lost = failure(stale);
        assertThat(lost).isInstanceOf(AttemptSupersededException.class)
                .hasMessageContaining(b.get().name().substring(CommitSettings.ATTEMPT_PREFIX.length()));
        assertThatThrownBy(() -> strategy.validateFinal(finalLocation)).isInstanceOf(ValidationError.class)
                .satisfies(e -> assertThat(((ValidationError) e).rule()).isEqualTo(ValidationError.Rule.NO_MARKER));
        assertThat(finalNames()).isEmpty();

        List<String> names = stage(b, "b", 5);
        b.commitBlocking();
        assertThat(finalNames()).isEqualTo(withMarker(names));
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void aStaleWriterHeldOnItsMarkerCopyIsFenced() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "a", 4);
        Pause pause = memory.pauseWhen(markerCopy(), When.BEFORE);
        CompletableFuture<CommitResult> stale = a.commit().toCompletableFuture();
        assertThat(pause.awaitReached(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        TemporaryPath b = strategy.fromFinal(finalLocation);
        b.createBlocking();
        pause.resume();

        assertThat(failure(stale)).isInstanceOf(AttemptSupersededException.class);
        assertThat(store.stat(finalLocation.resolve(MARKER))).isEmpty();
        List<String> names = stage(b, "b", 3);
        b.commitBlocking();
        assertThat(finalNames()).isEqualTo(withMarker(names));
    }

    @Test
    void aStaleCopyHeldInFlightNeverEntersANewerCheckpoint() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "shared", 6);
        Pause pause = memory.pauseWhen(c -> c.operation().equals("copy") && c.location().name().equals("part-4"),
                When.BEFORE);
        CompletableFuture<CommitResult> stale = a.commit().toCompletableFuture();
        assertThat(pause.awaitReached(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        TemporaryPath b = strategy.fromFinal(finalLocation);
        b.createBlocking();
        List<String> names = stage(b, "other", 2);
        b.commitBlocking();
        pause.resume();

        assertThat(failure(stale)).isInstanceOf(CommitConflictException.class);
        assertThat(finalNames()).as("only b's objects and its marker").isEqualTo(withMarker(names));
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void aStaleWritersLateStagingStaysInItsOwnAttempt() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        TemporaryPath b = strategy.fromFinal(finalLocation);
        b.createBlocking();
        stage(a, "late", 3);
        List<String> names = stage(b, "b", 2);
        b.commitBlocking();
        assertThat(finalNames()).isEqualTo(withMarker(names));
        assertThatThrownBy(a::commitBlocking).isInstanceOf(AttemptSupersededException.class);
    }

    @Test
    void aLostMarkerResponseIsRecognisedByItsCommitId() throws Exception {
        AtomicInteger lost = memory.failWhen(markerCopy(), When.AFTER, 1);
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "a", 3);
        CommitResult result = a.commitBlocking();
        assertThat(lost.get()).isEqualTo(1);
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
        assertThat(result.manifest().commitId()).isPresent();
    }

    @Test
    void aLostMarkerResponseRetriedByTheSdkIsRecognisedToo() throws Exception {
        memory.failWhen(markerCopy(), When.AFTER, 1);
        PrefixCopyCommit retrying = new PrefixCopyCommit(Store.of(new RetryOnce(memory)));
        TemporaryPath a = retrying.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "a", 2);
        a.commitBlocking();
        assertThat(retrying.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void aMarkerRequestThatFailedIsReportedAsNotCommittedAndTheAttemptResumes() throws Exception {
        memory.failWhen(markerCopy(), When.BEFORE, 1);
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        List<String> names = stage(a, "a", 3);
        assertThatThrownBy(a::commitBlocking).isInstanceOf(StoreException.class)
                .isNotInstanceOf(CommitStateUnknownException.class)
                .hasMessageContaining("the marker was not written")
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.TRANSIENT));
        assertThat(store.stat(finalLocation.resolve(MARKER))).isEmpty();
        strategy.fromTemporary(a.get()).commitBlocking();
        assertThat(finalNames()).isEqualTo(withMarker(names));
    }

    @Test
    void anOutcomeThatCannotBeSettledIsCommitStateUnknown() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "a", 2);
        // After the marker request fails, every read of the marker and every lease write fails too.
        AtomicInteger markerCopies = new AtomicInteger();
        memory.intercept(c -> {
            if (markerCopy().test(c) && c.when() == When.BEFORE) {
                markerCopies.incrementAndGet();
            }
            boolean afterMarker = markerCopies.get() > 0;
            boolean settling = c.location().name().equals(MARKER) || c.location().name().equals(CommitSettings.LEASE_NAME);
            if (afterMarker && settling && !c.operation().equals("copy") && c.when() == When.BEFORE) {
                throw new StoreException(ErrorKind.TIMEOUT, c.operation(), c.location(), "unreachable");
            }
        });
        memory.failWhen(markerCopy(), When.BEFORE, 1);
        assertThatThrownBy(a::commitBlocking).isInstanceOf(CommitStateUnknownException.class)
                .hasMessageContaining("outcome of the commit is unknown");
    }

    @Test
    void aResumeRefusesAnAttemptThatWasNeverSealed() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "a", 3);
        // The primary dies here, while writers may still be staging.
        assertThatThrownBy(() -> strategy.fromTemporary(a.get()).commitBlocking())
                .isInstanceOf(AttemptNotSealedException.class).hasMessageContaining("never sealed");
        assertThat(store.stat(finalLocation.resolve(MARKER))).isEmpty();
        strategy.fromTemporary(a.get(), TemporaryPathOptions.builder().resumeUnsealed(true).build()).commitBlocking();
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void aResumeOfASealedAttemptCommitsIt() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        List<String> names = stage(a, "a", 3);
        a.seal();
        CommitResult resumed = strategy.fromTemporary(settingsTemporary()).commitBlocking();
        assertThat(resumed.manifest().objectCount()).isEqualTo(3);
        assertThat(finalNames()).isEqualTo(withMarker(names));
    }

    private Location settingsTemporary() {
        return CommitSettings.defaults().temporaryFor(finalLocation);
    }

    @Test
    void resumingAnAttemptThatAlreadyCommittedSucceedsAndANewAttemptIsRefused() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "a", 2);
        CommitResult first = a.commitBlocking();
        CommitResult again = strategy.fromTemporary(a.get()).commitBlocking();
        assertThat(again.manifest().commitId()).isEqualTo(first.manifest().commitId());
        assertThatThrownBy(() -> strategy.fromFinal(finalLocation).createBlocking())
                .isInstanceOf(CommitConflictException.class).hasMessageContaining("already a committed checkpoint");
    }

    @Test
    void twoCommittersOfOneAttemptProduceOneMarkerAndBothSeeIt() throws Exception {
        HoldAt hold = new HoldAt(CommitStep.BEFORE_MARKER);
        TemporaryPath a = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().observer(hold).build());
        a.createBlocking();
        stage(a, "a", 3);
        a.seal();
        CompletableFuture<CommitResult> first = a.commit().toCompletableFuture();
        assertThat(hold.reached.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        CommitResult zombie = strategy.fromTemporary(a.get()).commitBlocking();
        hold.release.countDown();
        CommitResult original = first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(original.manifest().commitId()).isEqualTo(zombie.manifest().commitId());
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void twoPrimariesRacingHaveOneWinnerAndTheLoserIsToldWhy() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("a").build());
        TemporaryPath b = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("b").build());
        a.createBlocking();
        stage(a, "a", 2);
        a.commitBlocking();
        assertThatThrownBy(b::createBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("committed by writer a");
    }

    @Test
    void everyStrategyRefusesCommitWithoutCreate() throws Exception {
        for (io.atomiccheckpoint.atomicity.TemporaryPathFactory s : List.of(strategy, new CommitInPlace(store))) {
            Location target = root.resolve("never-created-" + s.strategyName());
            assertThatThrownBy(() -> s.fromFinal(target).commitBlocking()).as(s.strategyName())
                    .hasMessageContaining("without create()");
        }
    }

    @Test
    void cancellingBeforeTheMarkerStopsAndLeavesAResumableAttempt() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        List<String> names = stage(a, "a", 6);
        Pause pause = memory.pauseWhen(c -> c.operation().equals("copy") && c.location().name().equals("part-2"),
                When.BEFORE);
        CompletableFuture<CommitResult> commit = a.commit().toCompletableFuture();
        assertThat(pause.awaitReached(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(commit.cancel(true)).isTrue();
        pause.resume();
        // The stage completes once the commit has stopped, so the resume below does not race it.
        assertThatThrownBy(() -> commit.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(store.stat(finalLocation.resolve(MARKER))).isEmpty();
        strategy.fromTemporary(a.get()).commitBlocking();
        assertThat(finalNames()).isEqualTo(withMarker(names));
    }

    @Test
    void cancellingOnceTheMarkerIsUnderWayReportsTheRealOutcome() throws Exception {
        TemporaryPath a = strategy.fromFinal(finalLocation);
        a.createBlocking();
        stage(a, "a", 2);
        Pause pause = memory.pauseWhen(markerCopy(), When.BEFORE);
        CompletableFuture<CommitResult> commit = a.commit().toCompletableFuture();
        assertThat(pause.awaitReached(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(commit.cancel(true)).as("cancel once the marker request is under way").isFalse();
        pause.resume();
        assertThat(commit.get(WAIT_SECONDS, TimeUnit.SECONDS).finalLocation()).isEqualTo(finalLocation);
        strategy.validateFinal(finalLocation);
    }

    @Test
    void copiedObjectsAreCountedFromOneToNOncePerCommit() throws Exception {
        List<Long> indexes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        TemporaryPath a = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder()
                .observer((step, index) -> {
                    if (step == CommitStep.OBJECT_COPIED) {
                        indexes.add(index);
                    }
                }).build());
        a.createBlocking();
        stage(a, "a", 7);
        a.commitBlocking();
        assertThat(indexes).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void aCommitOnASingleThreadedExecutorDoesNotWaitForItself() throws Exception {
        java.util.concurrent.ExecutorService single = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            TemporaryPath a = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().executor(single).build());
            a.createBlocking();
            stage(a, "a", 3);
            assertThat(a.commit().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS).manifest().objectCount())
                    .isEqualTo(3);
        } finally {
            single.shutdownNow();
        }
    }

    /** Retries a transient failure once, as the cloud SDKs do, so the retry meets the request's own effect. */
    private static final class RetryOnce extends ForwardingObjectStore {
        RetryOnce(InMemoryObjectStore store) {
            super(store);
        }

        @Override
        protected void beforeCall(String operation, Location location) {
        }

        @Override
        public ObjectInfo copy(Location source, Location target, io.atomiccheckpoint.store.CopyOptions options) {
            try {
                return super.copy(source, target, options);
            } catch (StoreException e) {
                if (e.kind() != ErrorKind.TRANSIENT) {
                    throw e;
                }
                return super.copy(source, target, options);
            }
        }

        @Override
        public ObjectInfo put(Location location, Payload payload, PutMode mode) {
            return super.put(location, payload, mode);
        }
    }

    /** A staging write that fails after a newer attempt took over tells the writer it lost, not the store error. */
    @Test
    void aStagingWriteThatFailsAfterANewerAttemptStartedIsReportedAsSuperseded() throws Exception {
        TemporaryPath stale = strategy.fromFinal(finalLocation);
        stale.createBlocking();
        stage(stale, "stale", 2);
        Location staleRoot = stale.get();
        TemporaryPath newer = strategy.fromFinal(finalLocation);
        newer.createBlocking();
        // A store that refuses writes into a deleted attempt directory, as a local disk whose upload file was
        // removed under the writer does.
        memory.failWhen(c -> c.operation().equals("put") && staleRoot.contains(c.location()), When.BEFORE, 1);
        assertThatThrownBy(() -> stale.staging().write("stale/late", new byte[] {1}))
                .isInstanceOf(AttemptSupersededException.class)
                .hasMessageContaining(newer.get().name().replaceFirst("^attempt-", ""))
                .hasCauseInstanceOf(StoreException.class);
        // The newer attempt's own failures stay what they are.
        Location newerRoot = newer.get();
        memory.failWhen(c -> c.operation().equals("put") && newerRoot.contains(c.location()), When.BEFORE, 1);
        assertThatThrownBy(() -> newer.staging().write("newer/part", new byte[] {1}))
                .isInstanceOf(StoreException.class).isNotInstanceOf(CommitConflictException.class);
    }
}
