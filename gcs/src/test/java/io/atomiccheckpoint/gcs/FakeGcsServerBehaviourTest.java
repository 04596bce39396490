package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.CopyRequest;
import com.google.cloud.storage.StorageException;
import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.location.Location;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What fake-gcs-server (v1.56.1) really enforces of the GCS behaviour the store relies on, checked with the bare
 * SDK. Tests named {@code emulatorGap...} pin down where the emulator differs from GCS and say what GCS does: if a
 * new emulator version closes a gap, its test fails and the matching hook override in
 * {@link GcsObjectStoreContractTest} (and the gap in {@code FakeGcsStores.fixture()}) can go.
 *
 * <p>In short: the emulator enforces {@code ifGenerationMatch} on every upload (simple, multipart, resumable) and
 * serves exactly the {@code generation} a read or a rewrite names (404 once it was replaced), but ignores every
 * precondition on rewrites and on reads.
 */
class FakeGcsServerBehaviourTest {
    private static GcsObjectStore store;
    private static Storage gcs;

    @BeforeAll
    static void open() {
        store = FakeGcsStores.open();
        gcs = store.client();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static BlobId blob(String name) {
        Location loc = FakeGcsStores.newScratchLocation().resolve(name);
        return BlobId.of(loc.bucket(), loc.key());
    }

    private static BlobId sibling(BlobId id, String suffix) {
        return BlobId.of(id.getBucket(), id.getName() + suffix);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int status(Throwable e) {
        return GcsErrors.code(e);
    }

    @Test
    void simpleUploadWithIfGenerationMatchZeroGets412WhenTheObjectExists() {
        BlobInfo info = BlobInfo.newBuilder(blob("marker")).build();
        gcs.create(info, bytes("first"), BlobTargetOption.doesNotExist());
        assertThatThrownBy(() -> gcs.create(info, bytes("second"), BlobTargetOption.doesNotExist()))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
        assertThat(gcs.readAllBytes(info.getBlobId())).isEqualTo(bytes("first"));
    }

    @Test
    void resumableUploadWithIfGenerationMatchZeroGets412WhenTheObjectExists() throws Exception {
        BlobInfo info = BlobInfo.newBuilder(blob("large")).build();
        byte[] data = new byte[600 * 1024];
        new Random(1).nextBytes(data);
        gcs.createFrom(info, new ByteArrayInputStream(data), 256 * 1024, BlobWriteOption.doesNotExist());
        assertThatThrownBy(() -> gcs.createFrom(info, new ByteArrayInputStream(bytes("other")), 256 * 1024,
                BlobWriteOption.doesNotExist()))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412));
        assertThat(gcs.readAllBytes(info.getBlobId())).isEqualTo(data);
    }

    /** What {@code PutMode.update} relies on: honoured by the emulator, as by GCS. */
    @Test
    void uploadWithIfGenerationMatchOfTheCurrentGenerationSucceedsAndOfAStaleOrMissingOneGets412() {
        BlobInfo info = BlobInfo.newBuilder(blob("lease")).build();
        long first = gcs.create(info, bytes("one")).getGeneration();
        long second = gcs.create(info, bytes("two"), BlobTargetOption.generationMatch(first)).getGeneration();
        assertThat(second).isNotEqualTo(first);
        assertThatThrownBy(() -> gcs.create(info, bytes("three"), BlobTargetOption.generationMatch(first)))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412));
        assertThat(gcs.readAllBytes(info.getBlobId())).isEqualTo(bytes("two"));
        BlobInfo missing = BlobInfo.newBuilder(blob("never-written")).build();
        // GCS answers 412 here too; the store also maps a 404 on an update to a refused condition.
        assertThatThrownBy(() -> gcs.create(missing, bytes("x"), BlobTargetOption.generationMatch(first)))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412));
        assertThat(gcs.get(missing.getBlobId())).isNull();
    }

    @Test
    void emulatorGapRewriteIgnoresIfGenerationMatchZeroAndOverwritesTheTarget() {
        BlobId src = blob("src");
        BlobId dst = sibling(src, "-dst");
        gcs.create(BlobInfo.newBuilder(src).build(), bytes("new"));
        gcs.create(BlobInfo.newBuilder(dst).build(), bytes("committed"));
        // Real GCS answers 412 here; fake-gcs-server's rewrite handler creates the target with no conditions.
        CopyWriter rewrite = gcs.copy(CopyRequest.newBuilder().setSource(src)
                .setTarget(dst, BlobTargetOption.doesNotExist()).build());
        assertThat(rewrite.getResult().getName()).isEqualTo(dst.getName());
        assertThat(gcs.readAllBytes(dst)).isEqualTo(bytes("new"));
    }

    @Test
    void emulatorGapRewriteIgnoresIfSourceGenerationMatchAndCopiesTheNewSource() {
        BlobId src = blob("src");
        BlobId dst = sibling(src, "-dst");
        long listed = gcs.create(BlobInfo.newBuilder(src).build(), bytes("listed")).getGeneration();
        gcs.create(BlobInfo.newBuilder(src).build(), bytes("replaced later"));
        // Real GCS answers 412 (conditionNotMet): the source is no longer generation `listed`. The emulator copies
        // whatever the source is now.
        CopyWriter rewrite = gcs.copy(CopyRequest.newBuilder().setSource(src)
                .setSourceOptions(BlobSourceOption.generationMatch(listed))
                .setTarget(dst, BlobTargetOption.doesNotExist()).build());
        assertThat(rewrite.getResult().getName()).isEqualTo(dst.getName());
        assertThat(gcs.readAllBytes(dst)).isEqualTo(bytes("replaced later"));
    }

    /** What the download-upload copy relies on: a named source generation is served exactly, by both. */
    @Test
    void rewriteOfAReplacedSourceGenerationGets404() {
        BlobId src = blob("src");
        long listed = gcs.create(BlobInfo.newBuilder(src).build(), bytes("listed")).getGeneration();
        gcs.create(BlobInfo.newBuilder(src).build(), bytes("replaced later"));
        BlobId pinned = BlobId.of(src.getBucket(), src.getName(), listed);
        assertThatThrownBy(() -> gcs.copy(CopyRequest.newBuilder().setSource(pinned)
                .setTarget(sibling(src, "-dst")).build()).getResult())
                .satisfies(e -> assertThat(status(e)).isEqualTo(404));
    }

    @Test
    void emulatorGapMetadataReadIgnoresIfGenerationMatch() {
        BlobId id = blob("obj");
        long first = gcs.create(BlobInfo.newBuilder(id).build(), bytes("first")).getGeneration();
        long second = gcs.create(BlobInfo.newBuilder(id).build(), bytes("second")).getGeneration();
        // Real GCS answers 412 here. The emulator answers with the current generation, which is why the store also
        // checks the generation in the answer and reads media by generation only (see the next test).
        Blob answer = gcs.get(id, BlobGetOption.generationMatch(first));
        assertThat(answer.getGeneration()).isEqualTo(second);
    }

    @Test
    void emulatorGapDeleteIgnoresIfGenerationMatch() {
        BlobId id = blob("obj");
        long first = gcs.create(BlobInfo.newBuilder(id).build(), bytes("first")).getGeneration();
        gcs.create(BlobInfo.newBuilder(id).build(), bytes("second"));
        // Real GCS answers 412 here and keeps the object; the emulator deletes the live generation. So the store's
        // pinned deletes also name the generation (the next test), which the emulator honours.
        gcs.delete(id, Storage.BlobSourceOption.generationMatch(first));
        assertThat(gcs.get(id)).isNull();
    }

    /** What pinned deletes rely on where preconditions are ignored: a delete of a named, replaced generation. */
    @Test
    void deleteOfANamedReplacedGenerationKeepsTheLiveObject() {
        BlobId id = blob("obj");
        long first = gcs.create(BlobInfo.newBuilder(id).build(), bytes("first")).getGeneration();
        gcs.create(BlobInfo.newBuilder(id).build(), bytes("second"));
        gcs.delete(BlobId.of(id.getBucket(), id.getName(), first));
        assertThat(gcs.readAllBytes(id)).isEqualTo(bytes("second"));
    }

    /** What versioned reads rely on: a media read of a named generation is that generation's, or 404 once replaced. */
    @Test
    void mediaReadOfANamedGenerationServesItAndGets404OnceItWasReplaced() {
        BlobId id = blob("obj");
        long first = gcs.create(BlobInfo.newBuilder(id).build(), bytes("first")).getGeneration();
        BlobId pinned = BlobId.of(id.getBucket(), id.getName(), first);
        assertThat(gcs.readAllBytes(pinned)).isEqualTo(bytes("first"));
        gcs.create(BlobInfo.newBuilder(id).build(), bytes("second"));
        assertThatThrownBy(() -> gcs.readAllBytes(pinned)).satisfies(e -> assertThat(status(e)).isEqualTo(404));
    }

    @Test
    void emulatorGapRewriteFinishesInOneCallWhateverTheLimitPerCall() {
        BlobId src = blob("big");
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(2).nextBytes(data);
        gcs.create(BlobInfo.newBuilder(src).build(), data);
        CopyWriter rewrite = gcs.copy(CopyRequest.newBuilder().setSource(src)
                .setTarget(sibling(src, "-copy"))
                .setMegabytesCopiedPerChunk(1L).build());
        // Real GCS may need several calls (rewriteToken) for large or cross-location copies; the emulator never does,
        // so the store's rewrite loop only ever runs its first iteration here.
        assertThat(rewrite.isDone()).isTrue();
        assertThat(rewrite.getTotalBytesCopied()).isEqualTo(data.length);
    }

    @Test
    void listingHonoursMaxResultsAndPageTokens() {
        Location root = FakeGcsStores.newScratchLocation();
        for (int i = 0; i < 7; i++) {
            gcs.create(BlobInfo.newBuilder(root.bucket(), root.resolve("o" + i).key()).build(), bytes("x"));
        }
        List<Integer> sizes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            Page<Blob> page = token == null
                    ? gcs.list(root.bucket(), BlobListOption.prefix(root.prefix()), BlobListOption.pageSize(3))
                    : gcs.list(root.bucket(), BlobListOption.prefix(root.prefix()), BlobListOption.pageSize(3),
                            BlobListOption.pageToken(token));
            List<Blob> values = new ArrayList<>();
            page.getValues().forEach(values::add);
            sizes.add(values.size());
            values.forEach(b -> names.add(b.getName()));
            token = page.getNextPageToken();
        } while (token != null && !token.isEmpty());
        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(names).hasSize(7).isSorted();
    }

    @Test
    void emulatorGapDelimitedPagesReturnEveryLaterCommonPrefixRegardlessOfPageSize() {
        Location root = FakeGcsStores.newScratchLocation();
        for (String name : new String[] {"d1/a", "d2/b", "d3/c", "e"}) {
            gcs.create(BlobInfo.newBuilder(root.bucket(), root.resolve(name).key()).build(), bytes("x"));
        }
        Page<Blob> first = gcs.list(root.bucket(), BlobListOption.prefix(root.prefix()), BlobListOption.delimiter("/"),
                BlobListOption.pageSize(1));
        List<String> dirs = new ArrayList<>();
        first.getValues().forEach(b -> {
            if (b.isDirectory()) {
                dirs.add(b.getName());
            }
        });
        // GCS counts prefixes against maxResults; the emulator pages objects only and repeats the prefixes, which
        // core's PagedListing de-duplicates.
        assertThat(dirs).hasSize(3);
    }

    @Test
    void batchEndpointReportsEachCall() {
        BlobId present = blob("present");
        BlobId absent = sibling(present, "-absent");
        gcs.create(BlobInfo.newBuilder(present).build(), bytes("x"));
        List<Boolean> deleted = gcs.delete(List.of(present, absent));
        assertThat(deleted).containsExactly(true, false);
        assertThat(gcs.get(present)).isNull();
    }

    @Test
    void objectsCarryGenerationCrc32cAndMd5() {
        Blob created = gcs.create(BlobInfo.newBuilder(blob("sums")).build(), bytes("hello"));
        assertThat(created.getGeneration()).isPositive();
        assertThat(created.getCrc32c()).isEqualTo("mnG7TA==");
        assertThat(created.getMd5()).isEqualTo("XUFAKrxLKna5cZ2REBfFkg==");
        List<String> listed = new ArrayList<>();
        gcs.list(created.getBucket(), BlobListOption.prefix(created.getName())).iterateAll()
                .forEach(b -> listed.add(b.getCrc32c() + "/" + b.getMd5()));
        assertThat(listed).containsExactly("mnG7TA==/XUFAKrxLKna5cZ2REBfFkg==");
    }
}
