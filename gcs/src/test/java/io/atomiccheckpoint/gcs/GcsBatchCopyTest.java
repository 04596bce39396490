package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.gcs.testing.RecordingConnections;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.CopyOutcome;
import io.atomiccheckpoint.store.CopyRequest;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Copies sent as JSON batches of rewrites ({@code SupportsBatchCopy}) on fake-gcs-server, checked below the SDK:
 * what each batch carries, how batches are split, and what happens when a whole batch fails or its response is lost.
 * The emulator ignores rewrite preconditions (see {@code GcsObjectStoreContractTest}), so the conditions are checked
 * in the batch body, where real GCS reads them.
 */
class GcsBatchCopyTest {
    private static final String BATCH = "/batch/storage/v1";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(Store store, Location location) {
        try (InputStream in = store.read(location)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} pinned create-only copies from {@code src/i} to {@code dst/i}, the sources written first. */
    private static List<CopyRequest> pinnedCopies(Store store, Location root, int count) {
        List<CopyRequest> copies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectInfo source = store.write(root.resolve("src/o" + i), bytes("content " + i), PutMode.CREATE);
            copies.add(new CopyRequest(root.resolve("src/o" + i), root.resolve("dst/o" + i),
                    CopyOptions.pinnedTo(source, PutMode.CREATE)));
        }
        return copies;
    }

    private static void assertAllCopied(Store store, List<CopyRequest> copies, List<CopyOutcome> outcomes) {
        assertThat(outcomes).hasSize(copies.size());
        for (int i = 0; i < copies.size(); i++) {
            ObjectInfo copied = outcomes.get(i).getOrThrow();
            assertThat(copied.key()).isEqualTo(copies.get(i).target().key());
            assertThat(copied.version()).isPresent();
            assertThat(copied.checksums()).containsKeys("crc32c", "md5");
            assertThat(read(store, copies.get(i).target())).isEqualTo("content " + i);
        }
    }

    private static long count(RecordingConnections http, String part) {
        return http.urls().stream().filter(u -> u.contains(part)).count();
    }

    @Test
    void aBatchOfCopiesIsOneRequestWhoseRewritesEachCarryTheirOwnConditions() {
        RecordingConnections http = RecordingConnections.keepingBodies(u -> u.contains(BATCH));
        try (Store store = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            assertThat(store.maxCopyBatch(FakeGcsStores.newScratchLocation())).isEqualTo(100);
            List<CopyRequest> copies = pinnedCopies(store, FakeGcsStores.newScratchLocation(), 3);
            int before = http.urls().size();
            List<CopyOutcome> outcomes = store.copyBatch(copies);
            List<String> sent = http.urls().subList(before, http.urls().size());

            assertThat(sent).as("one batch request, no single rewrites").hasSize(1).allMatch(u -> u.contains(BATCH));
            assertAllCopied(store, copies, outcomes);
            assertThat(http.bodies()).hasSize(1);
            List<String> rewrites = new ArrayList<>();
            Matcher m = Pattern.compile("POST (\\S*/rewriteTo/\\S*)").matcher(http.bodies().get(0));
            while (m.find()) {
                rewrites.add(m.group(1));
            }
            assertThat(rewrites).hasSize(3);
            for (int i = 0; i < 3; i++) {
                String generation = copies.get(i).options().sourceVersion();
                assertThat(rewrites.get(i)).contains("/o/" + encoded(copies.get(i).source().key()) + "/rewriteTo/")
                        .contains("ifGenerationMatch=0").contains("ifSourceGenerationMatch=" + generation);
            }
        }
    }

    private static String encoded(String key) {
        return key.replace("/", "%2F");
    }

    @Test
    void copiesAreSplitToTheConfiguredBatchSizeAndOneSendsEachCopyAlone() {
        RecordingConnections http = RecordingConnections.recording();
        try (Store store = Store.of(FakeGcsStores.open(FakeGcsStores.config().with("gcs.copyBatchSize", "2"), http))) {
            List<CopyRequest> copies = pinnedCopies(store, FakeGcsStores.newScratchLocation(), 5);
            assertAllCopied(store, copies, store.copyBatch(copies));
            // 2 + 2 in batches; the fifth alone, since a batch of one is just a longer request.
            assertThat(count(http, BATCH)).isEqualTo(2);
            assertThat(count(http, "/rewriteTo/")).isEqualTo(1);
        }
        RecordingConnections single = RecordingConnections.recording();
        try (Store store = Store.of(FakeGcsStores.open(FakeGcsStores.config().with("gcs.copyBatchSize", "1"),
                single))) {
            assertThat(store.maxCopyBatch(FakeGcsStores.newScratchLocation())).isEqualTo(1);
            List<CopyRequest> copies = pinnedCopies(store, FakeGcsStores.newScratchLocation(), 5);
            assertAllCopied(store, copies, store.copyBatch(copies));
            assertThat(count(single, BATCH)).isZero();
            assertThat(count(single, "/rewriteTo/")).isEqualTo(5);
        }
    }

    @Test
    void downloadUploadCopiesAreNeverBatched() {
        try (Store store = Store.of(FakeGcsStores.open(FakeGcsStores.config()
                .with("gcs.createOnlyCopy", "download-upload")))) {
            assertThat(store.maxCopyBatch(FakeGcsStores.newScratchLocation())).isEqualTo(1);
        }
    }

    @Test
    void aBatchThatFailsAsAWholeIsSentAgain() {
        assertEveryCopyMadeAfterWholeBatchFailures(1, 503, "backendError", 2, 0);
    }

    @Test
    void aBatchThatFailsAsAWholeTwiceGoesOneCopyAtATimeAndNothingIsLost() {
        assertEveryCopyMadeAfterWholeBatchFailures(2, 503, "backendError", 2, 4);
    }

    @Test
    void aBatchRefusedAsAWholeWithAStatusNoRepeatCuresGoesOneCopyAtATimeAtOnce() {
        assertEveryCopyMadeAfterWholeBatchFailures(1, 403, "forbidden", 1, 4);
    }

    /**
     * Four copies in one batch whose first {@code failures} sends are answered {@code status} as a whole: every
     * copy is made, with {@code batches} batch requests and {@code singles} single rewrites in all.
     */
    private static void assertEveryCopyMadeAfterWholeBatchFailures(int failures, int status, String reason,
            int batches, int singles) {
        RecordingConnections http = RecordingConnections.answeringFirst(failures, u -> u.contains(BATCH), status,
                reason);
        try (Store store = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            List<CopyRequest> copies = pinnedCopies(store, FakeGcsStores.newScratchLocation(), 4);
            assertAllCopied(store, copies, store.copyBatch(copies));
            assertThat(http.failuresLeft()).isZero();
            assertThat(count(http, BATCH)).isEqualTo(batches);
            assertThat(count(http, "/rewriteTo/")).isEqualTo(singles);
        }
    }

    /** The batch's deadline holds for its repeat and its fallbacks: once spent, each copy left fails with TIMEOUT. */
    @Test
    void aBatchWhoseDeadlinePassesBeforeItsRepeatFailsEachCopyWithTimeoutAndSendsNoMore() {
        RecordingConnections http = RecordingConnections.answeringFirst(1, u -> u.contains(BATCH), 503, "backendError");
        StoreConfig config = FakeGcsStores.config().with("gcs.timeout.operation", "PT0.3S")
                .with("gcs.retry.initialDelay", "PT0.6S");
        try (Store store = Store.of(FakeGcsStores.open(config, http))) {
            List<CopyRequest> copies = pinnedCopies(store, FakeGcsStores.newScratchLocation(), 3);
            List<CopyOutcome> outcomes = store.copyBatch(copies);
            assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).get()
                    .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
                    .satisfies(e -> assertThat(e.getMessage()).contains("gcs.timeout.operation")));
            assertThat(count(http, BATCH)).isEqualTo(1);
            assertThat(count(http, "/rewriteTo/")).isZero();
            assertThat(copies).allSatisfy(c -> assertThat(store.stat(c.target())).isEmpty());
        }
    }

    /**
     * The server copied everything, then the batch response was lost. The batch is sent again; real GCS refuses
     * each repeat as create-only (412) and the commit finds its own identical copy there. fake-gcs-server ignores
     * the condition (gap CREATE_ONLY_COPY_NOT_ENFORCED) and copies again, identical bytes. Either way every
     * outcome ends with the source's content at the target and nothing else is written.
     */
    @Test
    void aBatchWhoseResponseIsLostIsSentAgainAndEveryTargetHoldsItsSource() {
        RecordingConnections http = RecordingConnections.losingResponseOfFirst(1, u -> u.contains(BATCH));
        try (Store store = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            Location root = FakeGcsStores.newScratchLocation();
            List<CopyRequest> copies = pinnedCopies(store, root, 3);
            List<CopyOutcome> outcomes = store.copyBatch(copies);
            assertThat(http.failuresLeft()).isZero();
            assertThat(count(http, BATCH)).isEqualTo(2);
            assertAllCopied(store, copies, outcomes);
            try (Stream<ObjectInfo> listing = store.list(root.resolve("dst"))) {
                assertThat(listing.count()).isEqualTo(3);
            }
        }
    }

    @Test
    void aCommitSendsItsCopiesInBatchesAndOnlyItsMarkerAlone() {
        RecordingConnections http = RecordingConnections.recording();
        try (Store store = Store.of(FakeGcsStores.open(FakeGcsStores.config(), http))) {
            Location finalLocation = FakeGcsStores.newScratchLocation().resolve("checkpoint");
            PrefixCopyCommit strategy = new PrefixCopyCommit(store, CommitSettings.defaults());
            TemporaryPath path = strategy.fromFinal(finalLocation);
            Location staging = path.createBlocking();
            for (int i = 0; i < 250; i++) {
                store.write(staging.resolve("shard-" + i), bytes("shard " + i), PutMode.CREATE);
            }
            int before = http.urls().size();
            CommitResult result = path.commitBlocking();
            result.cleanup().toCompletableFuture().join();

            assertThat(result.copied()).isEqualTo(250);
            List<String> sent = http.urls().subList(before, http.urls().size());
            assertThat(sent.stream().filter(u -> u.contains("/rewriteTo/")).toList())
                    .as("only the marker (a copy of the lease) is a single rewrite").hasSize(1)
                    .allMatch(u -> u.contains("/rewriteTo/b/" + FakeGcsStores.BUCKET + "/o/"
                            + encoded(finalLocation.key()) + "%2F"));
            // 3 batches of copies (100, 100, 50), then the clean-up's batch deletes.
            assertThat(sent.stream().filter(u -> u.contains(BATCH)).count()).isGreaterThanOrEqualTo(3 + 3);
            assertThat(read(store, finalLocation.resolve("shard-249"))).isEqualTo("shard 249");
            strategy.validateFinal(finalLocation);
            DeepValidationReport report = strategy.validateDeep(finalLocation);
            assertThat(report.checked()).isEqualTo(250);
            assertThat(report.missingCount() + report.changedCount() + report.unexpectedCount()).isZero();
        }
    }
}
