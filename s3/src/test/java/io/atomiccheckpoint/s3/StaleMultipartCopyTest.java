package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A writer stopped between its multipart copy's parts and its CompleteMultipartUpload (a SIGSTOPped or preempted
 * process) must not complete that copy into the final location after a newer attempt took it over: a multipart
 * copy checks its pinned source at each UploadPartCopy, not at completion. The newer {@code create()} aborts the
 * uploads pending in the final location after deleting the older attempts' sources, so the late completion meets
 * NoSuchUpload. The stale writer is played with plain SDK calls, exactly the requests the store's copier sends.
 */
class StaleMultipartCopyTest {
    @Test
    void aNewerCreateAbortsTheStaleCopyPendingInTheFinalLocation() throws Exception {
        try (S3ObjectStore s3 = LocalStackStores.open(LocalStackStores.config())) {
            Store store = Store.of(s3);
            S3AsyncClient client = s3.client();
            PrefixCopyCommit strategy = new PrefixCopyCommit(store);
            Location finalLocation = LocalStackStores.newScratchLocation().resolve("step_1");
            TemporaryPath stale = strategy.fromFinal(finalLocation);
            stale.createBlocking();
            Location source = stale.staging().resolve("stale.bin");
            String etag = store.write(source, "the stale writer's object".getBytes(StandardCharsets.UTF_8),
                    PutMode.CREATE).version().orElseThrow();
            Location target = finalLocation.resolve("stale.bin");
            String uploadId = client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())).join()
                    .uploadId();
            String partEtag = client.uploadPartCopy(r -> r.sourceBucket(source.bucket()).sourceKey(source.key())
                    .copySourceIfMatch(etag).destinationBucket(target.bucket()).destinationKey(target.key())
                    .uploadId(uploadId).partNumber(1)).join().copyPartResult().eTag();

            TemporaryPath newer = strategy.fromFinal(finalLocation);
            newer.createBlocking();
            newer.staging().write("newer.bin", "the newer writer's object".getBytes(StandardCharsets.UTF_8));
            newer.commitBlocking().cleanup().toCompletableFuture().join();

            assertThatThrownBy(() -> client.completeMultipartUpload(r -> r.bucket(target.bucket()).key(target.key())
                    .uploadId(uploadId).ifNoneMatch("*").multipartUpload(u -> u.parts(CompletedPart.builder()
                            .partNumber(1).eTag(partEtag).build()))).join())
                    .isInstanceOf(CompletionException.class)
                    .satisfies(e -> assertThat(S3Errors.status(e)).isEqualTo(404));
            assertThat(store.stat(target)).isEmpty();
            DeepValidationReport report = strategy.validateDeep(finalLocation);
            assertThat(report.isIntact()).as(report.toString()).isTrue();
            assertThat(report.checked()).isEqualTo(1);
        }
    }

    /**
     * On S3Mock, AbortMultipartUpload deletes the object already at the key ({@code S3MockGapsTest}), so an abort
     * could delete a newer checkpoint's object of the same name: the store aborts nothing there and says so.
     */
    @Test
    void nothingIsAbortedWhereAnAbortWouldDeleteTheObjectAtTheKey() {
        try (S3ObjectStore s3 = S3MockStores.open(S3MockStores.config())) {
            Store store = Store.of(s3);
            Location root = S3MockStores.newScratchLocation();
            Location target = root.resolve("committed.bin");
            store.write(target, "committed".getBytes(StandardCharsets.UTF_8), PutMode.CREATE);
            // The probe that learns how this server aborts runs with the first conditional write.
            assertThat(s3.conditionalWriteSupport(target).abortKeepsExistingObject()).isFalse();
            String uploadId = s3.client().createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()))
                    .join().uploadId();
            assertThat(store.abortPendingUploads(root)).isZero();
            assertThat(store.stat(target)).isPresent();
            assertThat(s3.client().listMultipartUploads(r -> r.bucket(root.bucket()).prefix(root.key() + "/")).join()
                    .uploads()).anyMatch(u -> u.uploadId().equals(uploadId));
        }
    }
}
