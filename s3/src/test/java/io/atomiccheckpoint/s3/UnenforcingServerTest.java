package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockServer;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A real S3 server that ignores {@code If-None-Match}: S3Mock 3.12.0, an older release of the same emulator, as
 * older S3-compatible servers do. The store must refuse create-only writes there unless the unsafe mode is
 * asked for, and never silently lose the exactly-once marker.
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

    private static String read(S3ObjectStore store, Location loc) throws IOException {
        try (InputStream in = store.read(loc)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theLegacyServerReallyIgnoresIfNoneMatch() throws IOException {
        try (S3ObjectStore store = S3MockStores.open(S3MockStores.config(legacy))) {
            Location loc = scratch().resolve("marker");
            for (String text : new String[] {"first", "second"}) {
                store.client().putObject(r -> r.bucket(loc.bucket()).key(loc.key()).ifNoneMatch("*"),
                        AsyncRequestBody.fromString(text)).join();
            }
            assertThat(read(store, loc)).isEqualTo("second");
            ConditionalWriteSupport support = store.conditionalWriteSupport(loc);
            assertThat(support.probed()).isTrue();
            assertThat(support.putObject()).isFalse();
        }
    }

    @Test
    void createOnlyWritesAndCopiesAreRefusedBeforeAnythingIsWritten() {
        try (S3ObjectStore store = S3MockStores.open(S3MockStores.config(legacy))) {
            Location root = scratch();
            Location marker = root.resolve("step_1/commit_success.txt");
            assertThatThrownBy(() -> store.write(marker, "m".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE))
                    .isInstanceOf(ConditionalWritesNotEnforcedException.class)
                    .hasMessageContaining("does not enforce If-None-Match")
                    .hasMessageContaining("s3.unsafe.allowUnconditionalWrites=true")
                    .hasMessageContaining(marker.toString());
            assertThat(store.stat(marker)).isEmpty();
            store.write(root.resolve("src"), "s".getBytes(StandardCharsets.UTF_8), WriteMode.OVERWRITE);
            assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("dst"), WriteMode.CREATE))
                    .isInstanceOf(ConditionalWritesNotEnforcedException.class);
            assertThat(store.stat(root.resolve("dst"))).isEmpty();
        }
    }

    @Test
    void theUnsafeModeMustBeAskedForAndThenChecksBeforeWriting() throws IOException {
        try (S3ObjectStore store = S3MockStores.open(S3MockStores.config(legacy)
                .with("s3.unsafe.allowUnconditionalWrites", "true"))) {
            Location marker = scratch().resolve("commit_success.txt");
            store.write(marker, "first".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
            assertThatThrownBy(() -> store.write(marker, "second".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(read(store, marker)).isEqualTo("first");
            assertThat(store.toString()).contains("UNSAFE");
        }
    }
}
