package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.AttemptSupersededException;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.AtomicRename;
import io.atomiccheckpoint.commit.CommitInPlace;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.it.IndependentChecker.Judgement;
import io.atomiccheckpoint.it.IndependentChecker.Staged;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import io.atomiccheckpoint.testkit.StoreUnderTest.EmulatorGap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real races, decided by the store's own create-only and conditional requests (only the S3Mock row makes racers
 * take turns, as its row in the evidence table says), for every strategy on every store where it runs:
 * {@code PrefixCopyCommit} and {@code CommitInPlace} everywhere, {@code AtomicRename} on the filesystem, the only
 * store with {@code rename(2)}.
 *
 * <ul>
 *   <li>Two committers of one sealed attempt at once, as after a primary restart that left a zombie: exactly one
 *       marker, every committer that succeeds reports it, a loser gets a {@link CommitConflictException} saying
 *       that another committer of the attempt went first, and the {@link IndependentChecker} finds the staged
 *       objects, byte for byte, and nothing else.</li>
 *   <li>Two writers of different attempts: A is held in front of its marker request while B starts a newer
 *       attempt, saves and commits; then A's marker request is refused and A is told "another writer committed
 *       first". The checker finds B's checkpoint.</li>
 * </ul>
 */
class RaceTest {
    private static final int OBJECTS = 6;
    private static final Duration WAIT = Duration.ofSeconds(120);
    /**
     * One thread per racer: the common pool has a single thread on a 2-core machine, which would run the two
     * committers one after the other.
     */
    private static final ExecutorService RACERS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "racer");
        t.setDaemon(true);
        return t;
    });
    private static final CommitSettings SETTINGS = CommitSettings.builder().copyConcurrency(4).build();
    /** What a co-committer that lost is told (the lease, a source or the marker went to the other one). */
    private static final Pattern CO_COMMITTER_LOST = Pattern.compile(
            "another committer of attempt \\S+ (changed its lease first|committed it first)"
                    + "|already a committed checkpoint|appeared while committing; another writer won");

    /** The strategies, with the rounds each runs per store (PrefixCopyCommit is the default and races most). */
    enum Strategy {
        PREFIX_COPY_COMMIT(50),
        COMMIT_IN_PLACE(10),
        ATOMIC_RENAME(10);

        final int rounds;

        Strategy(int rounds) {
            this.rounds = rounds;
        }

        TemporaryPathFactory on(Store store) {
            switch (this) {
                case PREFIX_COPY_COMMIT:
                    return new PrefixCopyCommit(store, SETTINGS);
                case COMMIT_IN_PLACE:
                    return new CommitInPlace(store, SETTINGS);
                default:
                    return new AtomicRename(store.unwrap(FileSystemObjectStore.class).orElseThrow(), SETTINGS);
            }
        }

        /** AtomicRename needs a local directory tree to rename; it is not an object-store strategy. */
        boolean runsOn(StoreFixture fixture) {
            return this != ATOMIC_RENAME || fixture.store().unwrap(FileSystemObjectStore.class).isPresent();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (StoreFixture fixture : Fixtures.inProcess()) {
            for (Strategy strategy : Strategy.values()) {
                if (strategy.runsOn(fixture)) {
                    cases.add(Arguments.of(fixture, strategy));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void twoCommittersOfOneAttemptHaveOneWinnerAndTheCommitNeverChanges(StoreFixture fixture, Strategy kind)
            throws Exception {
        TemporaryPathFactory strategy = kind.on(fixture.store());
        IndependentChecker checker = new IndependentChecker(fixture.store(), SETTINGS);
        Location root = fixture.newScratchLocation();
        Map<String, Integer> lossMessages = new java.util.TreeMap<>();
        for (int round = 0; round < kind.rounds; round++) {
            String where = fixture.name() + " " + kind + " round " + round;
            // A root per round keeps CheckpointDirectory's listing, which the checker consults, to one checkpoint.
            Location roundRoot = root.resolve("round_" + round);
            Location finalLocation = roundRoot.resolve("step_1");
            Staged staged = Staged.seeded("primary", finalLocation, OBJECTS);
            TemporaryPath primary = strategy.fromFinal(finalLocation,
                    TemporaryPathOptions.builder().writerId("primary").build());
            primary.createBlocking();
            staged.stageInto(primary.staging());
            // The writers declared staging complete: a zombie primary may resume the attempt.
            primary.seal();
            TemporaryPath zombie = strategy.fromTemporary(primary.get(),
                    TemporaryPathOptions.builder().writerId("zombie").build());

            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Map<String, String>> atCommit = new AtomicReference<>();
            // The first committer to return snapshots what readers see, while the other may still be running.
            Runnable snapshot = () -> atCommit.compareAndSet(null, Checks.snapshot(fixture.store(), finalLocation));
            List<CompletableFuture<CommitResult>> racers = List.of(race(primary, start, snapshot, RACERS),
                    race(zombie, start, snapshot, RACERS));
            start.countDown();
            Set<String> markers = new HashSet<>();
            for (CompletableFuture<CommitResult> racer : racers) {
                try {
                    CommitResult result = racer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    result.cleanup().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    markers.add(result.manifest().commitId().orElseThrow());
                    EvidenceTable.add(fixture, Column.COMMITS, 1);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    java.io.StringWriter trace = new java.io.StringWriter();
                    cause.printStackTrace(new java.io.PrintWriter(trace));
                    // The whole trace in the message: an unexpected loser's exception must say where it came from.
                    assertThat(cause).as(where + ": the loser's exception\n" + trace)
                            .isInstanceOf(CommitConflictException.class);
                    assertThat(cause.getMessage()).as(where + ": the loser is told why").contains(finalLocation.toString())
                            .containsPattern(CO_COMMITTER_LOST);
                    java.util.regex.Matcher m = CO_COMMITTER_LOST.matcher(cause.getMessage());
                    m.find();
                    lossMessages.merge(m.group().replaceAll("attempt \\S+", "attempt <id>"), 1, Integer::sum);
                }
            }
            // Whoever succeeded reports the one marker; a co-committer that finds it reports success too.
            assertThat(markers).as(where + ": markers reported").hasSize(1);
            assertThat(Checks.snapshot(fixture.store(), finalLocation)).as(where + ": unchanged after commit")
                    .isEqualTo(atCommit.get());
            Judgement judged = checker.judgeWithLibrary(strategy, roundRoot, finalLocation, List.of(staged))
                    .record(fixture, "primary");
            assertThat(judged.completeOf("primary")).as(where + ": " + judged).isTrue();
            assertThat(judged.libraryAgrees()).as(where + ": " + judged).isTrue();
            EvidenceTable.add(fixture, Column.RACE_ROUNDS, 1);
        }
        System.out.println(fixture.name() + " " + kind + ": losers were told " + lossMessages);
    }

    static Stream<Arguments> markerCases() {
        return cases().filter(a -> a.get()[1] != Strategy.ATOMIC_RENAME);
    }

    /**
     * A, held in front of its marker request (after its lease update), loses to B, a newer attempt that saves and
     * commits meanwhile; B's clean-up is held until A has its answer, so A's refused request meets B's marker.
     * (AtomicRename has no marker request: its stale writers are fenced by retiring their directory, see
     * {@code InterleavingMatrixTest}.)
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("markerCases")
    void aWriterWhoseMarkerIsRefusedIsToldAnotherWriterCommittedFirst(StoreFixture fixture, Strategy kind)
            throws Exception {
        Location root = fixture.newScratchLocation();
        Location finalLocation = root.resolve("step_1");
        Location marker = SETTINGS.marker(finalLocation);
        PausingObjectStore aStore = new PausingObjectStore(fixture.store().spi(),
                (op, l) -> op.equals("copy") && l.equals(marker) || op.equals("put") && l.equals(marker), WAIT);
        PausingObjectStore bStore = new PausingObjectStore(fixture.store().spi(), (op, l) -> op.equals("delete"), WAIT);
        Staged a = Staged.seeded("a", finalLocation, OBJECTS);
        Staged b = Staged.seeded("b", finalLocation, OBJECTS - 1);

        TemporaryPath writerA = kind.on(Store.of(aStore)).fromFinal(finalLocation,
                TemporaryPathOptions.builder().writerId("a").build());
        writerA.createBlocking();
        a.stageInto(writerA.staging());
        aStore.arm();
        CompletableFuture<CommitResult> aCommit = writerA.commit().toCompletableFuture();
        assertThat(aStore.awaitReached()).as("A reached its marker request").isTrue();

        TemporaryPath writerB = kind.on(Store.of(bStore)).fromFinal(finalLocation,
                TemporaryPathOptions.builder().writerId("b").build());
        writerB.createBlocking();
        b.stageInto(writerB.staging());
        bStore.arm();
        CommitResult bResult = writerB.commitBlocking();
        EvidenceTable.add(fixture, Column.COMMITS, 1);

        aStore.release();
        try {
            aCommit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("A committed after B: " + finalLocation);
        } catch (ExecutionException e) {
            Throwable lost = e.getCause();
            String failedWith = java.util.Arrays.toString(lost.getSuppressed());
            assertThat(lost).as("A's exception, after its marker request failed with " + failedWith)
                    .isInstanceOf(CommitConflictException.class).hasMessageContaining(finalLocation.toString());
            if (fixture.gaps().contains(EmulatorGap.PINNED_PART_COPY_OF_REPLACED_SOURCE_FAILS_ON_RANGE)) {
                // LocalStack refuses A's pinned marker copy with a 400 that is not recognisably a refused condition
                // (S3 answers 412), so A settles by reading the lease and learns that B superseded it.
                assertThat(lost).as(failedWith).isInstanceOf(AttemptSupersededException.class)
                        .hasMessageContaining("was superseded by attempt");
                assertThat(failedWith).contains("Range specified is not valid");
            } else {
                assertThat(lost).hasMessageContaining("another writer committed first")
                        .hasMessageContaining("this commit wrote no marker");
            }
        } finally {
            bStore.release();
        }
        bResult.cleanup().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Judgement judged = new IndependentChecker(fixture.store(), SETTINGS)
                .judgeWithLibrary(kind.on(fixture.store()), root, finalLocation, List.of(a, b)).record(fixture, "b");
        assertThat(judged.completeOf("b")).as(judged.toString()).isTrue();
        assertThat(judged.libraryAgrees()).as(judged.toString()).isTrue();
        EvidenceTable.add(fixture, Column.RACE_ROUNDS, 1);
    }

    private static CompletableFuture<CommitResult> race(TemporaryPath path, CountDownLatch start, Runnable onWin,
            ExecutorService threads) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            CommitResult result = path.commitBlocking();
            onWin.run();
            return result;
        }, threads);
    }
}
