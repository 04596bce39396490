package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;

/**
 * A CompleteMultipartUpload whose response is lost after it took effect: the SDK sends it again. LocalStack then
 * answers NoSuchUpload (the upload id is spent), and the store must recognise the object its own parts made and
 * succeed, for a multipart upload and for the multipart copy that makes create-only copies where CopyObject does
 * not enforce {@code If-None-Match}; before the fix, the write failed although its object had landed. S3Mock
 * judges {@code If-None-Match} before the upload id and answers 412; a 412 cannot tell one's own completion from
 * another writer's of the same bytes, so the store reports the precondition, and the commit, which compares
 * what it finds, counts the object as already in place.
 */
class LostCompletionResponseTest {
    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("LocalStack", (Supplier<StoreConfig>) LocalStackStores::config,
                (Supplier<Location>) LocalStackStores::newScratchLocation));
    }

    /** Turns the first CompleteMultipartUpload response into a 503 after the server completed the upload. */
    private static final class LoseFirstCompletion implements ExecutionInterceptor {
        final AtomicInteger lost = new AtomicInteger();

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (context.request() instanceof CompleteMultipartUploadRequest && context.httpResponse().isSuccessful()
                    && lost.compareAndSet(0, 1)) {
                return context.httpResponse().toBuilder().statusCode(503).statusText("Service Unavailable").build();
            }
            return context.httpResponse();
        }
    }

    private static Store open(StoreConfig config, LoseFirstCompletion interceptor) {
        return Store.of(S3ObjectStore.builder().config(config
                        .with("s3.multipartUploadThresholdBytes", Integer.toString(1024 * 1024))
                        .with("s3.multipartPartSizeBytes", Integer.toString(5 * 1024 * 1024))
                        .with("s3.multipartCopyThresholdBytes", "0"))
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(interceptor))).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aMultipartUploadWhoseCompletionResponseWasLostSucceeds(String server, Supplier<StoreConfig> config,
            Supplier<Location> scratch) {
        LoseFirstCompletion lose = new LoseFirstCompletion();
        byte[] data = new byte[6 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        Location target = scratch.get().resolve("big.bin");
        try (Store store = open(config.get(), lose)) {
            ObjectInfo written = store.write(target, data, PutMode.CREATE);
            assertThat(lose.lost.get()).as("a completion response was lost").isEqualTo(1);
            assertThat(written.size()).isEqualTo(data.length);
            assertThat(store.readBytes(target)).isEqualTo(data);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aCreateOnlyMultipartCopyWhoseCompletionResponseWasLostSucceeds(String server, Supplier<StoreConfig> config,
            Supplier<Location> scratch) {
        LoseFirstCompletion lose = new LoseFirstCompletion();
        Location root = scratch.get();
        byte[] data = "the source's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Store store = open(config.get(), lose)) {
            store.write(root.resolve("src"), data, PutMode.CREATE);
            store.copy(root.resolve("src"), root.resolve("dst"), PutMode.CREATE);
            assertThat(lose.lost.get()).as("a completion response was lost").isEqualTo(1);
            assertThat(store.readBytes(root.resolve("dst"))).isEqualTo(data);
        }
    }

    @org.junit.jupiter.api.Test
    void onS3MockAReSentCreateOnlyCompletionIsRefusedWith412AndTheObjectIsInPlace() {
        LoseFirstCompletion lose = new LoseFirstCompletion();
        byte[] data = new byte[6 * 1024 * 1024 + 17];
        new Random(9).nextBytes(data);
        Location target = S3MockStores.newScratchLocation().resolve("big.bin");
        try (Store store = open(S3MockStores.config(), lose)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.write(target, data, PutMode.CREATE))
                    .isInstanceOf(io.atomiccheckpoint.store.PreconditionFailedException.class);
            assertThat(lose.lost.get()).as("a completion response was lost").isEqualTo(1);
            assertThat(store.readBytes(target)).isEqualTo(data);
        }
    }
}
