package io.atomiccheckpoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.AttemptNotSealedException;
import io.atomiccheckpoint.atomicity.AttemptSupersededException;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.SnapshotType;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.atomicity.ValidationError.Rule;
import io.atomiccheckpoint.commit.CommitInPlace;
import io.atomiccheckpoint.commit.CommitMarkers;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.metadata.StoreCheckpointMetadata;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The semantics of the {@code TemporaryPath} protocol that every store must support, run for each
 * object-store strategy ({@link PrefixCopyCommit} and {@link CommitInPlace}). A store module subclasses it
 * and supplies a store and fresh scratch locations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TemporaryPathContract {
    /** Small pages, so every commit below crosses several listing pages. */
    protected static final int PAGE_SIZE = 7;

    /** The store under test and its scratch locations. */
    protected abstract StoreUnderTest subject();

    /** The store under test. */
    protected final Store store() {
        return subject().store();
    }

    /** A location no other test uses, below which this test may write. */
    protected final Location newScratchLocation() {
        return subject().newScratchLocation();
    }

    protected CommitSettings settings() {
        return CommitSettings.builder().listPageSize(PAGE_SIZE).copyConcurrency(8).build();
    }

    /** The strategies under test; a store that supports only some overrides this. */
    protected List<TemporaryPathFactory> strategies() {
        return List.of(new PrefixCopyCommit(store(), settings()), new CommitInPlace(store(), settings()));
    }

    List<TemporaryPathFactory> allStrategies() {
        return strategies();
    }

    /** The strategies whose create() deletes an interrupted commit's objects from the final location. */
    List<TemporaryPathFactory> strategiesThatCleanTheFinalLocation() {
        return strategies().stream().filter(s -> s instanceof PrefixCopyCommit || s instanceof CommitInPlace)
                .collect(Collectors.toList());
    }

    List<TemporaryPathFactory> copyStrategies() {
        return strategies().stream().filter(s -> s instanceof PrefixCopyCommit).collect(Collectors.toList());
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected byte[] readAll(Location location) {
        try (InputStream in = store().read(location)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected List<String> relativeKeys(Location location) {
        try (Stream<ObjectInfo> listing = store().list(location)) {
            return listing.map(o -> location.relativeKey(o.key()).orElseThrow()).collect(Collectors.toList());
        }
    }

    /** Creates {@code count} objects named {@code dir-i/object-j} through the staging area. */
    protected static List<String> writeObjects(StagingArea staging, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "dir-" + (i % 3) + "/object-" + i + ".bin";
            staging.write(name, bytes("content of " + name));
            names.add(name);
        }
        return names;
    }

    private static Location bucketRoot(Location location) {
        Location root = location;
        while (root.parent().isPresent()) {
            root = root.parent().get();
        }
        return root;
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void fromFinalIsDeterministicAndDoesNoIo(TemporaryPathFactory strategy) throws ValidationError {
        Location scratch = newScratchLocation();
        Location finalLocation = scratch.resolve("step_1");
        TemporaryPath a = strategy.fromFinal(finalLocation);
        TemporaryPath b = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder().writerId("other-host").build());
        assertThat(a.get()).isEqualTo(b.get());
        assertThat(a.getFinal()).isEqualTo(finalLocation);
        if (!(strategy instanceof CommitInPlace)) {
            assertThat(a.get()).isEqualTo(scratch.resolve("step_1" + CommitSettings.DEFAULT_TEMPORARY_SUFFIX));
        } else {
            assertThat(a.get()).isEqualTo(finalLocation);
        }
        assertThat(relativeKeys(scratch)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void createWriteCommitThenValidate(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_2");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        assertThat(checkpoint.createBlocking()).isEqualTo(checkpoint.get());
        List<String> names = writeObjects(checkpoint.staging(), 20);

        CommitResult result = committed(checkpoint);

        assertThat(result.finalLocation()).isEqualTo(finalLocation);
        assertThat(result.manifest().objectCount()).isEqualTo(20);
        assertThat(result.manifest().strategy()).isEqualTo(strategy.strategyName());
        strategy.validateFinal(finalLocation);
        DeepValidationReport report = strategy.validateDeep(finalLocation);
        assertThat(report.isIntact()).as(report.toString()).isTrue();
        assertThat(report.checked()).isEqualTo(20);
        List<String> expected = new ArrayList<>(names);
        expected.add(CommitSettings.DEFAULT_MARKER_NAME);
        assertThat(relativeKeys(finalLocation)).containsExactlyInAnyOrderElementsOf(expected);
        if (!(strategy instanceof CommitInPlace)) {
            assertThat(relativeKeys(checkpoint.get())).as("temporary location is gone").isEmpty();
        }
        if (strategy instanceof PrefixCopyCommit) {
            assertThat(result.copied()).isEqualTo(20);
        }
        for (String name : names) {
            assertThat(readAll(finalLocation.resolve(name))).isEqualTo(bytes("content of " + name));
        }
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void uncommittedCheckpointFailsValidateFinalWithNoMarker(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_3");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        writeObjects(checkpoint.staging(), 3);
        // Object stores have no directories, so an uncommitted prefix simply lacks a marker; a local rename
        // strategy has no final directory at all yet.
        Rule expected = strategy instanceof PrefixCopyCommit || strategy instanceof CommitInPlace
                ? Rule.NO_MARKER : Rule.NOT_FOUND;
        assertThatThrownBy(() -> strategy.validateFinal(finalLocation))
                .isInstanceOf(ValidationError.class)
                .hasMessageContaining(finalLocation + ": " + expected + ": ")
                .hasMessageContaining(expected == Rule.NO_MARKER ? "no commit marker commit_success.txt" : "does not exist")
                .satisfies(e -> assertThat(((ValidationError) e).rule()).isEqualTo(expected));
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void secondCommitAndRecreateAreRefusedAndChangeNothing(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_4");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        writeObjects(checkpoint.staging(), 5);
        committed(checkpoint);
        byte[] marker = readAll(finalLocation.resolve(CommitSettings.DEFAULT_MARKER_NAME));

        TemporaryPath again = strategy.fromFinal(finalLocation);
        List<String> finalBefore = relativeKeys(finalLocation);
        List<String> temporaryBefore = relativeKeys(again.get());
        assertThatThrownBy(again::createBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("already a committed checkpoint");
        assertThatThrownBy(again::commitBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining(finalLocation.toString()).hasMessageContaining("already a committed checkpoint");
        assertThat(relativeKeys(finalLocation)).isEqualTo(finalBefore);
        assertThat(relativeKeys(again.get())).as("temporary location").isEqualTo(temporaryBefore);
        assertThat(readAll(finalLocation.resolve(CommitSettings.DEFAULT_MARKER_NAME))).isEqualTo(marker);
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void deepValidationCatchesMissingChangedAndUnexpectedObjects(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_5");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        writeObjects(checkpoint.staging(), 6);
        committed(checkpoint);

        store().delete(finalLocation.resolve("dir-0/object-0.bin"));
        store().write(finalLocation.resolve("dir-1/object-1.bin"), bytes("tampered, and longer than before"),
                PutMode.OVERWRITE);
        store().write(finalLocation.resolve("intruder.bin"), bytes("x"), PutMode.CREATE);

        DeepValidationReport report = strategy.validateDeep(finalLocation);
        assertThat(report.isIntact()).isFalse();
        assertThat(report.missing()).containsExactly("dir-0/object-0.bin");
        assertThat(report.changed()).hasSize(1);
        assertThat(report.changed().get(0)).startsWith("dir-1/object-1.bin: size");
        assertThat(report.unexpected()).containsExactly("intruder.bin");
        assertThat(report.toString()).contains("missing 1", "changed 1", "unexpected 1");
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void createRemovesLeftoversOfAnUnfinishedAttempt(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_6");
        TemporaryPath crashed = strategy.fromFinal(finalLocation);
        crashed.createBlocking();
        crashed.staging().write("stale.bin", bytes("from the crashed attempt"));

        TemporaryPath retry = strategy.fromFinal(finalLocation);
        retry.createBlocking();
        assertThat(relativeKeys(retry.get())).isEmpty();
        retry.staging().write("fresh.bin", bytes("new"));
        committed(retry);
        assertThat(relativeKeys(finalLocation)).containsExactlyInAnyOrder("fresh.bin", CommitSettings.DEFAULT_MARKER_NAME);
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void commitAcrossSeveralListPagesCommitsEveryObject(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_7");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        int count = PAGE_SIZE * 3 + 4;
        writeObjects(checkpoint.staging(), count);
        CommitResult result = committed(checkpoint);
        assertThat(result.manifest().objectCount()).isEqualTo(count);
        assertThat(relativeKeys(finalLocation)).hasSize(count + 1);
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("copyStrategies")
    void interruptedCommitResumesFromTheTemporaryLocation(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_8");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder()
                .observer((step, index) -> {
                    if (step == CommitStep.OBJECT_COPIED && index == 4) {
                        throw new IllegalStateException("simulated crash after 4 copies");
                    }
                }).build());
        checkpoint.createBlocking();
        writeObjects(checkpoint.staging(), 12);
        assertThatThrownBy(checkpoint::commitBlocking).hasMessageContaining("simulated crash");
        assertThatThrownBy(() -> strategy.validateFinal(finalLocation)).isInstanceOf(ValidationError.class);

        CommitResult resumed = committed(strategy.fromTemporary(checkpoint.get()));
        assertThat(resumed.copied() + resumed.alreadyInPlace()).isEqualTo(12);
        assertThat(resumed.alreadyInPlace()).isGreaterThanOrEqualTo(3);
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("copyStrategies")
    void commitRefusesToOverwriteADifferentObjectInTheFinalLocation(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_9");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        checkpoint.staging().write("a.bin", bytes("mine"));
        store().write(finalLocation.resolve("a.bin"), bytes("someone else's"), PutMode.CREATE);

        assertThatThrownBy(checkpoint::commitBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining(finalLocation.resolve("a.bin").toString())
                .hasMessageContaining("refusing to overwrite");
        assertThat(readAll(finalLocation.resolve("a.bin"))).isEqualTo(bytes("someone else's"));
        assertThat(store().stat(finalLocation.resolve(CommitSettings.DEFAULT_MARKER_NAME))).isEmpty();
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("copyStrategies")
    void twoConcurrentCommitsOfOneAttemptWriteExactlyOneMarker(TemporaryPathFactory strategy) throws Exception {
        Location finalLocation = newScratchLocation().resolve("step_10");
        TemporaryPath first = strategy.fromFinal(finalLocation);
        first.createBlocking();
        writeObjects(first.staging(), 15);
        first.seal();
        TemporaryPath zombie = strategy.fromTemporary(first.get(),
                TemporaryPathOptions.builder().writerId("zombie").build());
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<CommitResult> a = CompletableFuture.supplyAsync(() -> {
            await(start);
            return first.commitBlocking();
        });
        CompletableFuture<CommitResult> b = CompletableFuture.supplyAsync(() -> {
            await(start);
            return zombie.commitBlocking();
        });
        start.countDown();
        java.util.Set<String> commitIds = new java.util.HashSet<>();
        for (CompletableFuture<CommitResult> f : List.of(a, b)) {
            try {
                commitIds.add(f.get().manifest().commitId().orElseThrow());
            } catch (ExecutionException e) {
                // Only the attempt's own other committer can beat it, and that is a conflict, never a store error.
                assertThat(e.getCause()).isInstanceOf(CommitConflictException.class)
                        .hasMessageContaining(finalLocation.toString());
            }
        }
        assertThat(commitIds).as("every committer that succeeded reports the one marker").hasSize(1);
        DeepValidationReport report = strategy.validateDeep(finalLocation);
        assertThat(report.isIntact()).as(report.toString()).isTrue();
        assertThat(report.checked()).isEqualTo(15);
        assertThat(new CommitMarkers(store(), settings()).checkHeader(finalLocation).commitId())
                .contains(commitIds.iterator().next());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void unsupportedSnapshotTypeIsRejectedBeforeAnyWrite(TemporaryPathFactory strategy) {
        Location finalLocation = newScratchLocation().resolve("step_11");
        assertThatThrownBy(() -> strategy.fromFinal(finalLocation, TemporaryPathOptions.builder()
                .snapshotType(SnapshotType.FILESYSTEM_SNAPSHOT).build()))
                .isInstanceOf(ValidationError.class)
                .hasMessageContaining("UNSUPPORTED_OPTION")
                .hasMessageContaining("snapshot type FILESYSTEM_SNAPSHOT is not supported by " + strategy.strategyName());
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void bucketRootCannotBeACheckpoint(TemporaryPathFactory strategy) {
        Location root = bucketRoot(newScratchLocation());
        assertThatThrownBy(() -> strategy.fromFinal(root)).isInstanceOf(ValidationError.class)
                .hasMessageContaining("ROOT_LOCATION")
                .hasMessageContaining("cannot be a bucket or filesystem root");
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void stagingRefusesNamesThatEscapeOrAreReserved(TemporaryPathFactory strategy) throws ValidationError {
        Location scratch = newScratchLocation();
        TemporaryPath checkpoint = strategy.fromFinal(scratch.resolve("step_12"));
        checkpoint.createBlocking();
        StagingArea staging = checkpoint.staging();
        for (String bad : new String[] {"../escape", "a/../../b", "/absolute", "a//b", "./a", "a\\b", "line\nbreak", ""}) {
            assertThatThrownBy(() -> staging.write(bad, bytes("x"))).as(bad).isInstanceOf(InvalidLocationException.class);
        }
        assertThatThrownBy(() -> staging.write(CommitSettings.DEFAULT_MARKER_NAME, bytes("x")))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("reserved");
        assertThat(relativeKeys(checkpoint.get())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void metadataStoreRecordsInitAndCommitTimestamps(TemporaryPathFactory strategy) throws ValidationError {
        Location finalLocation = newScratchLocation().resolve("step_13");
        StoreCheckpointMetadata metadata = new StoreCheckpointMetadata(store());
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder()
                .metadataStore(metadata).build());
        checkpoint.createBlocking();
        writeObjects(checkpoint.staging(), 2);
        CommitResult result = committed(checkpoint);
        assertThat(result.manifest().initTimestamp()).isPresent();
        assertThat(result.manifest().initTimestamp().get()).isBeforeOrEqualTo(result.manifest().commitTimestamp().get());
        assertThat(metadata.initTimestamp(finalLocation)).isEqualTo(result.manifest().initTimestamp());
        assertThat(metadata.commitTimestamp(finalLocation)).isEqualTo(result.manifest().commitTimestamp());
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void hostileMarkersAreRejectedWithTheRuleTheyBreak() throws ValidationError {
        PrefixCopyCommit strategy = new PrefixCopyCommit(store(), settings().toBuilder().maxMarkerBytes(4096).build());
        Location scratch = newScratchLocation();
        String marker = CommitSettings.DEFAULT_MARKER_NAME;
        String header = "{\"format\":\"atomic-checkpoint-manifest\",\"formatVersion\":1,\"commitTimestamp\":"
                + "\"2026-01-01T00:00:00Z\",\"objectCount\":1,\"totalBytes\":1,\"entries\":[";
        Object[][] cases = {
            {"garbage", "not json at all", Rule.MARKER_CORRUPT},
            {"truncated", header + "{\"key\":\"a\",\"size\":1}", Rule.MARKER_CORRUPT},
            {"escaping", header + "{\"key\":\"../../etc/passwd\",\"size\":1}]}", Rule.MARKER_ENTRY_OUTSIDE_CHECKPOINT},
            {"absolute", header + "{\"key\":\"/etc/passwd\",\"size\":1}]}", Rule.MARKER_ENTRY_OUTSIDE_CHECKPOINT},
            {"future", header.replace("\"formatVersion\":1", "\"formatVersion\":99") + "]}",
                Rule.MARKER_UNSUPPORTED_VERSION},
            {"inconsistent", header + "]}", Rule.MARKER_CORRUPT},
            {"huge", "{" + " ".repeat(5000) + "}", Rule.MARKER_TOO_LARGE},
        };
        for (Object[] c : cases) {
            Location checkpoint = scratch.resolve("hostile-" + c[0]);
            store().write(checkpoint.resolve(marker), bytes((String) c[1]), PutMode.CREATE);
            assertThatThrownBy(() -> strategy.validateFinal(checkpoint)).as((String) c[0])
                    .isInstanceOf(ValidationError.class)
                    .hasMessageContaining(checkpoint.toString())
                    .satisfies(e -> assertThat(((ValidationError) e).rule()).as((String) c[0]).isEqualTo(c[2]));
        }
        Location legacy = scratch.resolve("reference-written");
        store().write(legacy.resolve(marker), bytes("Checkpoint commit was successful to " + legacy), PutMode.CREATE);
        strategy.validateFinal(legacy);
        assertThat(strategy.validateDeep(legacy).hasInventory()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void aNewAttemptFencesTheOldOneWhichCannotCommitOrAddAnything(TemporaryPathFactory strategy) throws Exception {
        Location finalLocation = newScratchLocation().resolve("step_20");
        TemporaryPath stale = strategy.fromFinal(finalLocation);
        stale.createBlocking();
        writeObjects(stale.staging(), 3);
        TemporaryPath current = strategy.fromFinal(finalLocation);
        current.createBlocking();
        assertThatThrownBy(stale::commitBlocking).isInstanceOf(AttemptSupersededException.class)
                .hasMessageContaining("superseded");
        assertThatThrownBy(() -> strategy.validateFinal(finalLocation)).isInstanceOf(ValidationError.class);
        current.staging().write("current-only", bytes("current"));
        committed(current);
        DeepValidationReport report = strategy.validateDeep(finalLocation);
        assertThat(report.isIntact()).as(report.toString()).isTrue();
        assertThat(report.checked()).isEqualTo(1);
        assertThat(readAll(finalLocation.resolve("current-only"))).isEqualTo(bytes("current"));
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void aStaleWriterHeldBeforeItsMarkerIsFenced(TemporaryPathFactory strategy) throws Exception {
        Location finalLocation = newScratchLocation().resolve("step_21");
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TemporaryPath stale = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder()
                .observer((step, index) -> {
                    if (step == CommitStep.BEFORE_MARKER) {
                        reached.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build());
        stale.createBlocking();
        writeObjects(stale.staging(), 4);
        CompletableFuture<CommitResult> commit = stale.commit().toCompletableFuture();
        assertThat(reached.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        TemporaryPath current = strategy.fromFinal(finalLocation);
        current.createBlocking();
        release.countDown();
        assertThatThrownBy(() -> commit.get(60, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AttemptSupersededException.class);
        assertThatThrownBy(() -> strategy.validateFinal(finalLocation)).isInstanceOf(ValidationError.class);
        current.staging().write("mine", bytes("mine"));
        committed(current);
        assertThat(strategy.validateDeep(finalLocation).checked()).isEqualTo(1);
    }

    /**
     * A {@code create()} stopped after its last lease check and before its delete of a leftover goes on after a
     * newer attempt committed an object of the same name: the delete is pinned to the listed version, so the
     * newer object stays and the stale {@code create()} is told it was superseded. Stores without pinned deletes
     * ({@link Store#supportsConditionalDelete(Location)}) would delete it.
     */
    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("strategiesThatCleanTheFinalLocation")
    void aCreateStoppedBeforeItsDeleteKeepsANewerObjectOfTheSameName(TemporaryPathFactory strategy) throws Exception {
        Location finalLocation = newScratchLocation().resolve("step_24");
        // What a killed writer's copy leaves: an object in the final location and no marker.
        store().write(finalLocation.resolve("shared.bin"), bytes("leftover of a killed writer"), PutMode.CREATE);
        Location held = finalLocation.resolve("shared.bin");
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Store holding = Store.of(new ForwardingObjectStore(store().spi()) {
            @Override
            protected void beforeCall(String operation, Location location) {
                if (operation.equals("delete") && location.equals(held) && reached.getCount() > 0) {
                    reached.countDown();
                    try {
                        if (!release.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the held delete");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        TemporaryPath stale = sameStrategyOn(strategy, holding).fromFinal(finalLocation);
        CompletableFuture<Location> staleCreate = stale.create().toCompletableFuture();
        assertThat(reached.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("create() reached its delete").isTrue();
        try {
            TemporaryPath current = strategy.fromFinal(finalLocation);
            current.createBlocking();
            current.staging().write("shared.bin", bytes("the newer checkpoint's object"));
            current.staging().write("other.bin", bytes("another object"));
            committed(current);
        } finally {
            release.countDown();
        }
        if (!enforcesPinnedDeletes()) {
            staleCreate.handle((ok, failed) -> null).get(60, java.util.concurrent.TimeUnit.SECONDS);
            return;
        }
        assertThatThrownBy(() -> staleCreate.get(60, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AttemptSupersededException.class);
        assertThat(readAll(held)).isEqualTo(bytes("the newer checkpoint's object"));
        DeepValidationReport report = strategy.validateDeep(finalLocation);
        assertThat(report.isIntact()).as(report.toString()).isTrue();
        assertThat(report.checked()).isEqualTo(2);
    }

    /**
     * Whether the store under test enforces deletes pinned to a version: false for an emulator with
     * {@link StoreUnderTest.EmulatorGap#PINNED_DELETE_NOT_ENFORCED} (its module names the gap in a test of
     * what the store sends), where the test above then only runs the interleaving.
     */
    private boolean enforcesPinnedDeletes() {
        return !subject().gaps().contains(StoreUnderTest.EmulatorGap.PINNED_DELETE_NOT_ENFORCED);
    }

    private TemporaryPathFactory sameStrategyOn(TemporaryPathFactory strategy, Store other) {
        if (strategy instanceof PrefixCopyCommit) {
            return new PrefixCopyCommit(other, settings());
        }
        if (strategy instanceof CommitInPlace) {
            return new CommitInPlace(other, settings());
        }
        throw new IllegalArgumentException("no way to rebuild " + strategy.strategyName() + " on another store");
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void aResumeRefusesAnUnsealedAttemptAndCommitsASealedOne(TemporaryPathFactory strategy) throws Exception {
        Location finalLocation = newScratchLocation().resolve("step_22");
        TemporaryPath first = strategy.fromFinal(finalLocation);
        first.createBlocking();
        writeObjects(first.staging(), 2);
        assertThatThrownBy(() -> strategy.fromTemporary(first.get()).commitBlocking())
                .isInstanceOf(AttemptNotSealedException.class);
        first.seal();
        CommitResult resumed = committed(strategy.fromTemporary(first.get()));
        assertThat(resumed.manifest().objectCount()).isEqualTo(2);
        if (first.get().equals(finalLocation)) {
            // The location names no attempt, so a resume cannot claim the marker as its own.
            assertThatThrownBy(() -> strategy.fromTemporary(first.get()).commitBlocking())
                    .isInstanceOf(CommitConflictException.class).hasMessageContaining("already a committed checkpoint");
        } else {
            CommitResult again = committed(strategy.fromTemporary(first.get()));
            assertThat(again.manifest().commitId()).as("resuming a committed attempt finds its own marker")
                    .isEqualTo(resumed.manifest().commitId());
        }
    }

    @ParameterizedTest
    @MethodSource("allStrategies")
    void stagingBeforeCreateIsRefusedClearly(TemporaryPathFactory strategy) throws Exception {
        TemporaryPath checkpoint = strategy.fromFinal(newScratchLocation().resolve("step_23"));
        if (checkpoint.get().equals(checkpoint.getFinal())) {
            return;
        }
        assertThatThrownBy(checkpoint::staging).isInstanceOf(io.atomiccheckpoint.AtomicCheckpointException.class)
                .hasMessageContaining("call create()");
    }

    /** Commits and waits for the clean-up, which runs in the background by default. */
    protected static CommitResult committed(TemporaryPath checkpoint) {
        CommitResult result = checkpoint.commitBlocking();
        result.cleanup().toCompletableFuture().join();
        return result;
    }
}
