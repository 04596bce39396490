package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.atomicity.ValidationError.Rule;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Markers built to crash, exhaust or fool the reader: each is refused with a {@link ValidationError} naming the
 * rule, within the reader's bounds, and with a message of bounded length. Each case failed before the reader was
 * hardened (a NullPointerException, an OutOfMemoryError, or a wrong value).
 */
class HostileMarkerTest {
    private static final String HEADER = "{\"format\":\"atomic-checkpoint-manifest\",\"formatVersion\":1,"
            + "\"commitTimestamp\":\"2026-01-01T00:00:00Z\",";

    private final Store store = Store.of(new InMemoryObjectStore());
    private final PrefixCopyCommit strategy = new PrefixCopyCommit(store);
    private final Location root = Location.parse("mem://bucket/hostile");

    static Object[][] markers() {
        return new Object[][] {
            {"deep-nesting", HEADER + "\"x\":" + "[".repeat(100_000) + "]".repeat(100_000)
                    + ",\"objectCount\":0,\"totalBytes\":0,\"entries\":[]}", Rule.MARKER_CORRUPT},
            {"huge-key", HEADER + "\"objectCount\":1,\"totalBytes\":1,\"entries\":[{\"key\":\"" + "k".repeat(3_000_000)
                    + "\",\"size\":1}]}", Rule.MARKER_CORRUPT},
            {"many-checksums", HEADER + "\"objectCount\":1,\"totalBytes\":1,\"entries\":[{\"key\":\"a\",\"size\":1,"
                    + "\"checksums\":{" + manyChecksums(200_000) + "}}]}", Rule.MARKER_CORRUPT},
            {"version-overflow", HEADER.replace("\"formatVersion\":1", "\"formatVersion\":4294967297")
                    + "\"objectCount\":0,\"totalBytes\":0,\"entries\":[]}", Rule.MARKER_UNSUPPORTED_VERSION},
            {"size-overflow", HEADER + "\"objectCount\":2,\"totalBytes\":0,\"entries\":[{\"key\":\"a\",\"size\":"
                    + Long.MAX_VALUE + "},{\"key\":\"b\",\"size\":" + Long.MAX_VALUE + "}]}", Rule.MARKER_CORRUPT},
            {"empty", "", Rule.MARKER_CORRUPT},
        };
    }

    private static String manyChecksums(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"c").append(i).append("\":\"x\"");
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("markers")
    void aHostileMarkerIsRefusedWithItsRule(String name, String marker, Rule rule) {
        Location checkpoint = root.resolve(name);
        store.write(checkpoint.resolve(CommitSettings.DEFAULT_MARKER_NAME), marker.getBytes(StandardCharsets.UTF_8),
                PutMode.CREATE);
        assertThatThrownBy(() -> strategy.validateFinal(checkpoint)).as(name).isInstanceOf(ValidationError.class)
                .satisfies(e -> assertThat(((ValidationError) e).rule()).as(name).isEqualTo(rule))
                .satisfies(e -> assertThat(e.getMessage().length()).as("message length").isLessThan(2_000));
        assertThat(new CheckpointDirectory(store, root).committed().map(c -> c.location().name())
                .collect(Collectors.toList())).as("listed as committed").doesNotContain(name);
    }

    @Test
    void aMarkerCopiedFromAnotherCheckpointIsNotACheckpoint() throws Exception {
        Location original = root.resolve("step_1");
        var path = strategy.fromFinal(original);
        path.createBlocking();
        path.staging().write("a", new byte[] {1});
        path.commitBlocking();
        Location copy = root.resolve("step_2");
        store.copy(original.resolve(CommitSettings.DEFAULT_MARKER_NAME), copy.resolve(CommitSettings.DEFAULT_MARKER_NAME),
                PutMode.CREATE);
        assertThat(new CheckpointDirectory(store, root).committed().map(c -> c.location().name())
                .collect(Collectors.toList())).containsExactly("step_1");
        assertThat(new CheckpointDirectory(store, root).latest().orElseThrow().location()).isEqualTo(original);
    }

    @Test
    void aStepLongerThanALongHasNoStep() throws Exception {
        Location odd = root.resolve("step_" + "9".repeat(25));
        var path = strategy.fromFinal(odd);
        path.createBlocking();
        path.commitBlocking();
        assertThat(new CheckpointDirectory(store, root).committed().filter(c -> c.location().equals(odd))
                .findFirst().orElseThrow().step()).isEmpty();
    }
}
