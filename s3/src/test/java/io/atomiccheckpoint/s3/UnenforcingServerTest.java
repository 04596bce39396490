package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.S3MockServer;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A real S3 server that ignores {@code If-None-Match} and {@code If-Match} on writes: S3Mock 3.12.0, an older
 * release of the same emulator, as older S3-compatible servers do. The store must refuse create-only writes there
 * unless the unsafe mode is asked for, refuse updates always, and never silently lose the exactly-once marker. The
 * conditions 3.12.0 does enforce (on reads and copy sources) stay usable.
 */
class UnenforcingServerTest {
    private static S3MockServer legacy;

    @BeforeAll
    static void start() {
        legacy = S3MockServer.start(S3MockServer.LEGACY_VERSION, List.of(S3MockStores.BUCKET));
    }

    @AfterAll
    static void stop() {
        legacy.close();
    }

    private static Location scratch() {
        return S3MockStores.newScratchLocation();
    }

    private static Store open(StoreConfig config, RecordingInterceptor wire) {
        return Store.of(S3ObjectStore.builder().config(config)
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(Store store, Location loc) throws IOException {
        try (InputStream in = store.read(loc)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theLegacyServerReallyIgnoresIfNoneMatchAndIfMatchOnWrites() throws IOException {
        try (Store store = Store.of(S3MockStores.open(S3MockStores.config(legacy)))) {
            S3ObjectStore s3 = store.unwrap(S3ObjectStore.class).orElseThrow();
            Location loc = scratch().resolve("marker");
            for (String text : new String[] {"first", "second"}) {
                s3.client().putObject(r -> r.bucket(loc.bucket()).key(loc.key()).ifNoneMatch("*"),
                        AsyncRequestBody.fromString(text)).join();
            }
            assertThat(read(store, loc)).isEqualTo("second");
            s3.client().putObject(r -> r.bucket(loc.bucket()).key(loc.key())
                    .ifMatch("\"0123456789abcdef0123456789abcdef\""), AsyncRequestBody.fromString("third")).join();
            assertThat(read(store, loc)).isEqualTo("third");
            ConditionalWriteSupport support = s3.conditionalWriteSupport(loc);
            assertThat(support.probed()).isTrue();
            assertThat(support.putObject()).isFalse();
            assertThat(support.putObjectIfMatch()).isFalse();
            assertThat(support.getIfMatch()).isTrue();
            assertThat(support.copyObjectSourceIfMatch()).isTrue();
        }
    }

    @Test
    void createOnlyWritesAndCopiesAreRefusedBeforeAnythingIsWritten() {
        RecordingInterceptor wire = new RecordingInterceptor();
        try (Store store = open(S3MockStores.config(legacy), wire)) {
            Location root = scratch();
            Location marker = root.resolve("step_1/commit_success.txt");
            assertThatThrownBy(() -> store.write(marker, bytes("m"), PutMode.CREATE))
                    .isInstanceOf(ConditionalWritesNotEnforcedException.class)
                    .hasMessageContaining("does not enforce If-None-Match")
                    .hasMessageContaining("s3.unsafe.allowUnconditionalWrites=true")
                    .hasMessageContaining(marker.toString())
                    .satisfies(e -> assertThat(((ConditionalWritesNotEnforcedException) e).kind())
                            .isEqualTo(ErrorKind.NOT_SUPPORTED));
            assertThat(store.stat(marker)).isEmpty();
            assertThat(wire.sent("PutObject", root.key())).isEmpty();
            store.write(root.resolve("src"), bytes("s"), PutMode.OVERWRITE);
            assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("dst"), PutMode.CREATE))
                    .isInstanceOf(ConditionalWritesNotEnforcedException.class);
            assertThat(store.stat(root.resolve("dst"))).isEmpty();
        }
    }

    /** There is no unsafe mode for updates: a lease or fence that is not enforced is worse than none. */
    @Test
    void updatesAreRefusedEvenInTheUnsafeMode() throws IOException {
        RecordingInterceptor wire = new RecordingInterceptor();
        try (Store store = open(S3MockStores.config(legacy).with("s3.unsafe.allowUnconditionalWrites", "true"),
                wire)) {
            Location loc = scratch().resolve("lease");
            ObjectInfo first = store.write(loc, bytes("first"), PutMode.OVERWRITE);
            assertThatThrownBy(() -> store.write(loc, bytes("second"), PutMode.update(first.version().orElseThrow())))
                    .isInstanceOf(ConditionalWritesNotEnforcedException.class)
                    .hasMessageContaining("does not enforce If-Match on PutObject")
                    .satisfies(e -> assertThat(((ConditionalWritesNotEnforcedException) e).kind())
                            .isEqualTo(ErrorKind.NOT_SUPPORTED));
            assertThat(wire.sent("PutObject", loc.key())).noneMatch(s -> s.header("If-Match").isPresent());
            assertThat(read(store, loc)).isEqualTo("first");
        }
    }

    /** What the legacy server does enforce is used: pinned reads, and pinned copies that overwrite. */
    @Test
    void conditionsTheLegacyServerEnforcesStayUsable() throws IOException {
        try (Store store = open(S3MockStores.config(legacy), new RecordingInterceptor())) {
            Location root = scratch();
            ObjectInfo listed = store.write(root.resolve("src"), bytes("listed"), PutMode.OVERWRITE);
            try (InputStream in = store.read(root.resolve("src"), GetOptions.version(listed.version().orElseThrow()))) {
                assertThat(in.readAllBytes()).isEqualTo(bytes("listed"));
            }
            ObjectInfo copied = store.copy(root.resolve("src"), root.resolve("dst"),
                    CopyOptions.pinnedTo(listed, PutMode.OVERWRITE));
            assertThat(copied.size()).isEqualTo(listed.size());
            store.write(root.resolve("src"), bytes("replaced"), PutMode.OVERWRITE);
            assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("dst2"),
                    CopyOptions.pinnedTo(listed, PutMode.OVERWRITE))).isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining(root.resolve("src").toString());
            assertThat(store.stat(root.resolve("dst2"))).isEmpty();
        }
    }

    @Test
    void theUnsafeModeMustBeAskedForAndThenChecksBeforeWriting() throws IOException {
        try (Store store = open(S3MockStores.config(legacy).with("s3.unsafe.allowUnconditionalWrites", "true"),
                new RecordingInterceptor())) {
            Location marker = scratch().resolve("commit_success.txt");
            store.write(marker, bytes("first"), PutMode.CREATE);
            assertThatThrownBy(() -> store.write(marker, bytes("second"), PutMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(read(store, marker)).isEqualTo("first");
            assertThat(store.toString()).contains("UNSAFE");
        }
    }
}
