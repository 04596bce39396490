package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.LocalStackServer;
import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What LocalStack {@value LocalStackServer#VERSION} (S3, plain process) does differently from Amazon S3, each shown
 * with plain SDK calls, and how the store copes; the names state the gaps. Also what it does the same, so that the
 * contracts, which then run those conditions for real, are known to test something, and the evidence that it
 * decides racing conditional writes atomically, which is why no test makes racers take turns on it.
 */
class LocalStackGapsTest extends S3ServerGapsTestBase {
    private static final int WRITERS = 8;

    @Override
    StoreConfig serverConfig() {
        return LocalStackStores.config();
    }

    @Override
    Location newScratchLocation() {
        return LocalStackStores.newScratchLocation();
    }

    /** The object's bytes as a plain HTTP GET gets them, without the SDK's checksum validation. */
    private static byte[] plainGet(Location loc) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(LocalStackStores.server().endpoint() + "/" + loc.bucket()
                + "/" + loc.key()).toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes();
        } finally {
            c.disconnect();
        }
    }

    /**
     * LocalStack copies the source's bytes into the target's storage and only then checks {@code If-None-Match}:
     * it answers 412, keeps the target's metadata (size, ETag, checksum), and the target's bytes are the source's.
     * Of equal length, a plain GET returns the source's bytes under the target's ETag (the store's reads, which
     * check the CRC32, fail); of another length, the body breaks off. Amazon S3 answers 412 and leaves the target
     * alone. The probe reads the target back, sees this and counts CopyObject as not enforcing the condition, so the
     * store copies create-only the multipart way, whose completion LocalStack refuses cleanly.
     */
    @Test
    void emulatorGapARefusedCopyObjectStillOverwritesTheTargetsBytes() throws IOException {
        Location root = LocalStackStores.newScratchLocation();
        Location src = root.resolve("src");
        Location dst = root.resolve("dst");
        put(src, "source!!!");
        String committed = put(dst, "committed");
        assertThat(status(createOnlyCopy(src, dst))).as("CopyObject If-None-Match: * onto an object").isEqualTo(412);
        assertThat(store.stat(dst).orElseThrow().version()).contains(committed.replace("\"", ""));
        // Amazon S3: "committed".
        assertThat(new String(plainGet(dst), StandardCharsets.UTF_8)).isEqualTo("source!!!");
        assertThatThrownBy(() -> read(dst)).isInstanceOf(IOException.class).hasMessageContaining("checksum");

        Location shortSrc = root.resolve("short-src");
        Location longDst = root.resolve("long-dst");
        put(shortSrc, "new");
        put(longDst, "committed");
        assertThat(status(createOnlyCopy(shortSrc, longDst))).isEqualTo(412);
        assertThat(store.stat(longDst).orElseThrow().size()).isEqualTo(9);
        // A body of 9 bytes that the storage no longer has: cut short, or other bytes; never "committed".
        String plain;
        try {
            plain = new String(plainGet(longDst), StandardCharsets.UTF_8);
        } catch (IOException brokenOff) {
            plain = brokenOff.toString();
        }
        assertThat(plain).isNotEqualTo("committed");
        assertThatThrownBy(() -> read(longDst)).isInstanceOf(IOException.class);

        // The probe notices, so the store's create-only copies take the multipart way there.
        ConditionalWriteSupport support = s3.conditionalWriteSupport(root);
        assertThat(support.probed()).isTrue();
        assertThat(support.copyObject()).isFalse();
        assertThat(support.completeMultipartUpload()).isTrue();
        assertThat(support.uploadPartCopySourceIfMatch()).isTrue();

        Location target = root.resolve("target");
        store.write(src, "new".getBytes(StandardCharsets.UTF_8), PutMode.OVERWRITE);
        store.write(target, "committed".getBytes(StandardCharsets.UTF_8), PutMode.CREATE);
        wire.clear();
        assertThatThrownBy(() -> store.copy(src, target, PutMode.CREATE)).isInstanceOf(PreconditionFailedException.class);
        assertThat(wire.sent("CopyObject", root.key())).isEmpty();
        assertThat(wire.sent("UploadPartCopy", target.key())).isNotEmpty();
        assertThat(wire.sent("CompleteMultipartUpload", target.key())).singleElement()
                .satisfies(s -> assertThat(s.header("If-None-Match")).contains("*"));
        assertThat(read(target)).isEqualTo("committed");
    }

    /**
     * ListObjectsV2's continuation token is the next key in base64, which LocalStack decodes as ASCII: a token
     * that points at a key with a non-ASCII character fails with HTTP 500 ("'ascii' codec can't decode"). Amazon
     * S3 continues the listing. A token at an ASCII key works, whatever follows. The store's listing then fails
     * (500 is retried, then reported), it never comes back short.
     */
    @Test
    void emulatorGapListObjectsV2ContinuationTokensBreakAtNonAsciiKeys() {
        Location root = LocalStackStores.newScratchLocation();
        for (String name : List.of("a", "b", "ü", "名前")) {
            put(root.resolve(name), name);
        }
        String prefix = root.key() + "/";
        ListObjectsV2Response first = client.listObjectsV2(r -> r.bucket(root.bucket()).prefix(prefix).maxKeys(1))
                .join();
        assertThat(keys(first)).containsExactly(prefix + "a");
        ListObjectsV2Response second = client.listObjectsV2(r -> r.bucket(root.bucket()).prefix(prefix).maxKeys(1)
                .continuationToken(first.nextContinuationToken())).join();
        assertThat(keys(second)).containsExactly(prefix + "b");
        // The token now points at "ü". Amazon S3: the next page holds it.
        CompletableFuture<ListObjectsV2Response> third = client.listObjectsV2(r -> r.bucket(root.bucket())
                .prefix(prefix).maxKeys(1).continuationToken(second.nextContinuationToken()));
        assertThat(status(third)).isEqualTo(500);
        assertThat(third.handle((ok, e) -> S3Errors.errorCode(e)).join()).isEqualTo("InternalError");

        ListPage page = store.listPage(root, false, null, 2);
        assertThat(page.objects()).hasSize(2);
        assertThatThrownBy(() -> store.listPage(root, false, page.nextPageToken().orElseThrow(), 2))
                .isInstanceOf(StoreException.class).hasMessageContaining("HTTP 500");
        // A page that starts at an ASCII key is fine, non-ASCII keys in it included.
        assertThat(store.listPage(root, false, null, 4).objects()).hasSize(4);
    }

    /**
     * The same listing with {@code encoding-type=url} (which the store does not use, but other clients such as
     * boto3 do by default) does not fail: it silently drops the non-ASCII keys after a token and reports the
     * listing complete, because LocalStack compares the URL-encoded keys ("%C3%BC" sorts before letters) with the
     * decoded token. Amazon S3 lists every key.
     */
    @Test
    void emulatorGapListObjectsV2WithUrlEncodingLosesNonAsciiKeysAfterAToken() {
        Location root = LocalStackStores.newScratchLocation();
        for (String name : List.of("a", "b", "z", "ü")) {
            put(root.resolve(name), name);
        }
        String prefix = root.key() + "/";
        List<String> listed = new ArrayList<>();
        String token = null;
        boolean truncated;
        do {
            String at = token;
            ListObjectsV2Response page = client.listObjectsV2(r -> r.bucket(root.bucket()).prefix(prefix).maxKeys(1)
                    .encodingType(EncodingType.URL).continuationToken(at)).join();
            listed.addAll(keys(page));
            token = page.nextContinuationToken();
            truncated = Boolean.TRUE.equals(page.isTruncated());
        } while (truncated);
        // Amazon S3: a, b, z, ü.
        assertThat(listed).containsExactly(prefix + "a", prefix + "b", prefix + "z");
    }

    private static List<String> keys(ListObjectsV2Response page) {
        return page.contents().stream().map(S3Object::key).collect(Collectors.toList());
    }

    /**
     * Every other condition the store sends, LocalStack enforces as Amazon S3 does, and a refusal leaves the object
     * alone: a wrong ETag is 412, an {@code If-Match} onto a missing key is 404, a create-only PutObject or
     * CompleteMultipartUpload onto an object is 412, and aborting an upload keeps the object at its key.
     */
    @Test
    void localStackEnforcesEveryOtherConditionAsAmazonS3Does() throws IOException {
        Location root = LocalStackStores.newScratchLocation();
        Location a = root.resolve("a");
        Location b = root.resolve("b");
        Location missing = root.resolve("missing");
        put(a, "a");
        put(b, "b");
        assertThat(status(client.putObject(r -> r.bucket(a.bucket()).key(a.key()).ifNoneMatch("*"),
                AsyncRequestBody.fromString("x")))).as("PutObject If-None-Match").isEqualTo(412);
        assertThat(status(client.putObject(r -> r.bucket(a.bucket()).key(a.key()).ifMatch(WRONG_ETAG),
                AsyncRequestBody.fromString("x")))).as("PutObject If-Match").isEqualTo(412);
        assertThat(status(client.putObject(r -> r.bucket(missing.bucket()).key(missing.key()).ifMatch(WRONG_ETAG),
                AsyncRequestBody.fromString("x")))).as("PutObject If-Match, no object").isEqualTo(404);
        assertThat(status(client.getObject(r -> r.bucket(a.bucket()).key(a.key()).ifMatch(WRONG_ETAG),
                AsyncResponseTransformer.toBytes()))).as("GetObject If-Match").isEqualTo(412);
        assertThat(status(client.headObject(r -> r.bucket(a.bucket()).key(a.key()).ifMatch(WRONG_ETAG))))
                .as("HeadObject If-Match").isEqualTo(412);
        assertThat(status(client.copyObject(r -> r.sourceBucket(a.bucket()).sourceKey(a.key())
                .destinationBucket(b.bucket()).destinationKey(b.key()).copySourceIfMatch(WRONG_ETAG))))
                .as("CopyObject x-amz-copy-source-if-match").isEqualTo(412);
        assertThat(read(a)).isEqualTo("a");
        assertThat(read(b)).isEqualTo("b");
        for (Location target : List.of(b, missing)) {
            String upload = client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())).join()
                    .uploadId();
            assertThat(status(client.uploadPartCopy(r -> r.sourceBucket(a.bucket()).sourceKey(a.key())
                    .destinationBucket(target.bucket()).destinationKey(target.key()).uploadId(upload).partNumber(1)
                    .copySourceIfMatch(WRONG_ETAG)))).as("UploadPartCopy x-amz-copy-source-if-match").isEqualTo(412);
            String part = client.uploadPartCopy(r -> r.sourceBucket(a.bucket()).sourceKey(a.key())
                    .destinationBucket(target.bucket()).destinationKey(target.key()).uploadId(upload).partNumber(1))
                    .join().copyPartResult().eTag();
            Function<Boolean, CompletableFuture<?>> complete = createOnly -> client.completeMultipartUpload(r -> r
                    .bucket(target.bucket()).key(target.key()).uploadId(upload).ifNoneMatch(createOnly ? "*" : null)
                    .ifMatch(createOnly ? null : WRONG_ETAG)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part).build())));
            assertThat(status(complete.apply(false))).as("CompleteMultipartUpload If-Match onto " + target)
                    .isEqualTo(target == b ? 412 : 404);
            if (target == b) {
                assertThat(status(complete.apply(true))).as("CompleteMultipartUpload If-None-Match").isEqualTo(412);
                assertThat(read(b)).isEqualTo("b");
            }
            client.abortMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).uploadId(upload)).join();
        }
        assertThat(read(b)).as("after AbortMultipartUpload").isEqualTo("b");
        ConditionalWriteSupport support = s3.conditionalWriteSupport(root);
        assertThat(support.putObject()).isTrue();
        assertThat(support.completeMultipartUpload()).isTrue();
        assertThat(support.putObjectIfMatch()).isTrue();
        assertThat(support.completeMultipartUploadIfMatch()).isTrue();
        assertThat(support.copyObjectSourceIfMatch()).isTrue();
        assertThat(support.uploadPartCopySourceIfMatch()).isTrue();
        assertThat(support.getIfMatch()).isTrue();
        assertThat(support.abortKeepsExistingObject()).isTrue();
    }

    /**
     * Racing create-only writes have exactly one winner, round after round: eight PutObjects with
     * {@code If-None-Match: *} on a fresh key, eight updates from one version with {@code If-Match}, and eight
     * create-only CompleteMultipartUploads. (On S3Mock two writers win about one round in six.) This is why the
     * LocalStack fixtures let racers race.
     */
    @Test
    void racingConditionalWritesHaveExactlyOneWinnerInEveryRound() {
        Location root = LocalStackStores.newScratchLocation();
        for (int round = 0; round < 40; round++) {
            Location created = root.resolve("put-" + round);
            assertThat(winners(i -> client.putObject(r -> r.bucket(created.bucket()).key(created.key())
                    .ifNoneMatch("*"), AsyncRequestBody.fromString("writer " + i)))).as("create-only round " + round)
                    .isEqualTo(1);
            String base = put(root.resolve("lease-" + round), "base");
            Location lease = root.resolve("lease-" + round);
            assertThat(winners(i -> client.putObject(r -> r.bucket(lease.bucket()).key(lease.key()).ifMatch(base),
                    AsyncRequestBody.fromString("writer " + i)))).as("update round " + round).isEqualTo(1);
        }
        for (int round = 0; round < 15; round++) {
            Location marker = root.resolve("complete-" + round);
            List<String> uploads = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                String upload = client.createMultipartUpload(r -> r.bucket(marker.bucket()).key(marker.key())).join()
                        .uploadId();
                int writer = i;
                uploads.add(upload);
                parts.add(client.uploadPart(r -> r.bucket(marker.bucket()).key(marker.key()).uploadId(upload)
                        .partNumber(1), AsyncRequestBody.fromString("writer " + writer)).join().eTag());
            }
            assertThat(winners(i -> client.completeMultipartUpload(r -> r.bucket(marker.bucket()).key(marker.key())
                    .uploadId(uploads.get(i)).ifNoneMatch("*").multipartUpload(m -> m.parts(CompletedPart.builder()
                            .partNumber(1).eTag(parts.get(i)).build()))))).as("complete round " + round).isEqualTo(1);
        }
    }

    /** Sends the {@link #WRITERS} requests at once and counts those that succeeded; the others must be 412s. */
    private static int winners(java.util.function.IntFunction<CompletableFuture<?>> request) {
        List<CompletableFuture<?>> racers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            racers.add(request.apply(i));
        }
        int won = 0;
        for (CompletableFuture<?> racer : racers) {
            int status = status(racer);
            assertThat(status).isIn(200, 412);
            won += status == 200 ? 1 : 0;
        }
        return won;
    }

    /**
     * An UploadPartCopy pinned to a source ETag, with a byte range of the source as it was, after the source was
     * replaced by a shorter object: LocalStack checks the range first and answers 400 InvalidArgument ("Range
     * specified is not valid for source object of size"); Amazon S3 evaluates {@code x-amz-copy-source-if-match}
     * first and answers 412. Nothing is copied either way, but the store cannot see the 400 as a refused condition,
     * so a writer whose fenced marker copy meets a newer attempt's lease settles the outcome by reading the lease
     * (it is told it was superseded, not that another writer committed first: {@code RaceTest}).
     */
    @Test
    void emulatorGapAPinnedUploadPartCopyOfAShorterReplacedSourceFailsOnItsRangeNot412() {
        Location root = LocalStackStores.newScratchLocation();
        Location source = root.resolve("source");
        Location target = root.resolve("target");
        String pinned = put(source, "the source as it was listed");
        put(source, "shorter");
        String upload = client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())).join().uploadId();
        int status = status(client.uploadPartCopy(r -> r.sourceBucket(source.bucket()).sourceKey(source.key())
                .destinationBucket(target.bucket()).destinationKey(target.key()).uploadId(upload).partNumber(1)
                .copySourceIfMatch(pinned).copySourceRange("bytes=0-" + ("the source as it was listed".length() - 1))));
        assertThat(status).as("AWS: 412 (the source condition fails first)").isEqualTo(400);
        client.abortMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).uploadId(upload)).join();
    }

    /**
     * Emulator gap: LocalStack answers 501 NotImplemented to {@code If-Match} on DeleteObject and keeps the object;
     * AWS answers 412 when the version differs and deletes it when it matches. (The store's pinned deletes use
     * DeleteObjects, whose ETag elements LocalStack ignores, see the base class.)
     */
    @Test
    void emulatorGapDeleteObjectWithIfMatchIsNotImplemented() {
        Location object = newScratchLocation().resolve("alone");
        assertThat(deleteObjectIfMatchingAnotherVersion(object)).isEqualTo(501);
        assertThat(store.stat(object)).isPresent();
    }
}
