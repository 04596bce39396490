package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.s3.testing.SerializedCreateOnlyWrites;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

/**
 * Create-only copies by multipart copy ({@code s3.createOnlyCopy=multipart-copy}) racing on S3Mock 5.2.0, and
 * why a committed object could vanish in the shared suite's race test with that mode.
 *
 * <p>Racing copies alone do not lose anything: the refused CompleteMultipartUpload, the upload the store leaves
 * open after it, and deleting the source afterwards all leave the target intact. What loses the target is an
 * UploadPartCopy onto it that fails inside S3Mock: {@code MultipartService.copyPart} answers any failure of the
 * part copy with {@code bucketStore.removeFromBucket(destinationKey)}, which unlinks the object already stored
 * under that key. In the commit race the losing committer's UploadPartCopy onto an object the winner already
 * committed reads its source, a temporary object, just as the winner's clean-up DeleteObjects removes it:
 * S3Mock checks that the source exists, the delete removes its files, the part copy finds no source metadata,
 * fails with HTTP 500, and unlinks the committed object. Amazon S3 never changes the object at the key of an
 * UploadPartCopy; a missing source is a 404.
 */
class MultipartCopyRaceTest {
    private static final int ROUNDS = 40;
    /** The race below lost the target in 28 of 200 rounds on a loaded two-core machine. */
    private static final int MAX_RACE_ROUNDS = 100;

    private static final PartCopyStatuses STATUSES = new PartCopyStatuses();
    private static S3ObjectStore s3;
    private static Store store;
    private static S3AsyncClient client;

    @BeforeAll
    static void open() {
        s3 = S3ObjectStore.builder().config(S3MockStores.config().with("s3.createOnlyCopy", "multipart-copy"))
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(STATUSES))).build();
        store = Store.of(s3);
        client = s3.client();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /**
     * Two create-only copies of one source onto one key, taking turns as the shared race test's store does:
     * exactly one wins, and the target keeps the source's bytes through the refused CompleteMultipartUpload, the
     * upload the loser leaves open, a later write and the deletion of the source. Without taking turns S3Mock lets
     * both win about one round in three, so the count would depend on its timing.
     */
    @Test
    void racingCreateOnlyMultipartCopiesHaveOneWinnerAndTheTargetStays() {
        // Not closed: it closes the same S3 store as the plain facade.
        Store racing = Store.of(new SerializedCreateOnlyWrites(s3));
        Location root = S3MockStores.newScratchLocation();
        for (int round = 0; round < ROUNDS; round++) {
            Location source = root.resolve("src-" + round);
            Location target = root.resolve("dst-" + round);
            String text = "round " + round;
            store.write(source, text.getBytes(StandardCharsets.UTF_8), PutMode.CREATE);
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Integer>> copies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                copies.add(whenAllReady(start, () -> {
                    try {
                        racing.copy(source, target, PutMode.CREATE);
                        return 1;
                    } catch (PreconditionFailedException refused) {
                        return 0;
                    }
                }));
            }
            assertThat(copies.stream().mapToInt(CompletableFuture::join).sum()).as("winners of round " + round)
                    .isEqualTo(1);
            assertThat(read(target)).as("round " + round + " after the copies").isEqualTo(text);
            store.write(root.resolve("other-" + round), new byte[] {1}, PutMode.OVERWRITE);
            assertThat(read(target)).as("round " + round + " after another write").isEqualTo(text);
            // As the winning committer's clean-up does once everything is copied.
            assertThat(store.deleteBatch(List.of(source))).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
            assertThat(read(target)).as("round " + round + " after deleting the source").isEqualTo(text);
        }
    }

    /**
     * S3Mock deletes the object at the key of an UploadPartCopy that fails after its checks of the source passed.
     * An upload id the server does not know is a failure that comes that late every time; Amazon S3 answers it
     * with 404 NoSuchUpload and leaves the object alone.
     */
    @Test
    void emulatorGapFailedUploadPartCopyDeletesTheObjectAtItsTarget() {
        Location root = S3MockStores.newScratchLocation();
        Location source = root.resolve("src");
        Location committed = root.resolve("committed");
        put(source, "new");
        put(committed, "committed");

        Throwable failed = client.uploadPartCopy(r -> r.sourceBucket(source.bucket()).sourceKey(source.key())
                .destinationBucket(committed.bucket()).destinationKey(committed.key())
                .uploadId(UUID.randomUUID().toString()).partNumber(1)).handle((ok, e) -> e).join();

        assertThat(S3Errors.status(failed)).isEqualTo(500);
        assertThat(store.stat(committed)).isEmpty();
    }

    /**
     * The same gap reached as in the commit race: an UploadPartCopy onto a committed object, in an open upload,
     * while a DeleteObjects removes its source. Whenever the object is lost, that part copy was answered 500. The
     * timing cannot be forced from outside the server, so the race is repeated until the object is lost once or
     * the rounds run out (a machine where the window is never hit passes; the deterministic test above still
     * watches the gap). What could fail is the cause: a loss that no failed part copy preceded.
     */
    @Test
    void emulatorGapUploadPartCopyRacingADeleteOfItsSourceDeletesTheObjectAtItsTarget() {
        Location root = S3MockStores.newScratchLocation();
        int lost = 0;
        for (int round = 0; round < MAX_RACE_ROUNDS && lost == 0; round++) {
            Location source = root.resolve("src-" + round);
            Location committed = root.resolve("committed-" + round);
            put(source, "new");
            put(committed, "committed");
            String upload = client.createMultipartUpload(r -> r.bucket(committed.bucket()).key(committed.key())).join()
                    .uploadId();
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Throwable> copy = whenAllReady(start, () -> client.uploadPartCopy(r -> r
                    .sourceBucket(source.bucket()).sourceKey(source.key()).destinationBucket(committed.bucket())
                    .destinationKey(committed.key()).uploadId(upload).partNumber(1)).handle((ok, e) -> e).join());
            CompletableFuture<?> delete = whenAllReady(start, () -> client.deleteObjects(r -> r.bucket(source.bucket())
                    .delete(d -> d.objects(ObjectIdentifier.builder().key(source.key()).build()))).join());
            copy.join();
            delete.join();
            if (store.stat(committed).isEmpty()) {
                lost++;
                // The SDK retries the 500; by then the source is gone, so the retry is a 404.
                assertThat(STATUSES.of(committed.key())).as("part copy attempts of " + committed).startsWith(500);
            }
        }
    }

    private static void put(Location location, String text) {
        client.putObject(r -> r.bucket(location.bucket()).key(location.key()), AsyncRequestBody.fromString(text))
                .join();
    }

    private static String read(Location location) {
        try (InputStream in = store.read(location)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> CompletableFuture<T> whenAllReady(CyclicBarrier start, Supplier<T> action) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return action.get();
        });
    }

    /** The HTTP status of every UploadPartCopy attempt, by destination key: the SDK's retries hide the first. */
    private static final class PartCopyStatuses implements ExecutionInterceptor {
        private final List<String> keys = new ArrayList<>();
        private final List<Integer> statuses = new ArrayList<>();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartCopyRequest) {
                synchronized (this) {
                    keys.add(((UploadPartCopyRequest) context.request()).destinationKey());
                    statuses.add(context.httpResponse().statusCode());
                }
            }
        }

        synchronized List<Integer> of(String key) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).equals(key)) {
                    out.add(statuses.get(i));
                }
            }
            return out;
        }
    }
}
