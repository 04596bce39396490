package io.atomiccheckpoint.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.metadata.StoreCheckpointMetadata;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Orbax's names in a checkpoint root (legacy {@code -<N>} temporaries, the suffix inside a name) and Orbax's fields in
 * {@code _CHECKPOINT_METADATA}; that Orbax itself agrees is {@code OrbaxInteropTest} in integration-tests.
 */
class OrbaxNamesAndMetadataTest {
    private final Store store = Store.of(new InMemoryObjectStore());
    private final Location root = Location.parse("mem://bucket/run");

    private void put(String key, String text) {
        store.write(root.resolve(key), text.getBytes(StandardCharsets.UTF_8), PutMode.OVERWRITE);
    }

    @Test
    void aLegacyTemporaryIsListedAsATemporaryAndCleanedOnceItsCheckpointIsCommitted() {
        // An Orbax AtomicRename checkpoint (its plain-text marker) and the leftover of an Orbax before 0.11.20.
        put("step_5/commit_success.txt", "Checkpoint commit was successful to " + root.resolve("step_5"));
        put("step_5/default/data", "x");
        put("step_5.orbax-checkpoint-tmp-1712345678/default/data", "x");
        // A name with the suffix inside is neither: never listed, never cleaned, never deleted as a checkpoint.
        put("step_6.orbax-checkpoint-tmp.bak/commit_success.txt", "Checkpoint commit was successful to elsewhere");
        CheckpointDirectory directory = new CheckpointDirectory(store, root);

        try (Stream<CommittedCheckpoint> committed = directory.committed();
                Stream<Location> temporaries = directory.temporaries()) {
            assertThat(committed.map(c -> c.location().name()).collect(Collectors.toList())).containsExactly("step_5");
            assertThat(temporaries.map(Location::name).collect(Collectors.toList()))
                    .containsExactly("step_5.orbax-checkpoint-tmp-1712345678");
        }
        assertThat(directory.cleanupTemporaries(Duration.ofDays(1)).removed()).isEqualTo(1);
        assertThat(store.stat(root.resolve("step_5.orbax-checkpoint-tmp-1712345678/default/data")).isPresent()).isFalse();
        assertThat(store.stat(root.resolve("step_6.orbax-checkpoint-tmp.bak/commit_success.txt")).isPresent()).isTrue();
        assertThatThrownBy(() -> directory.delete(root.resolve("step_6.orbax-checkpoint-tmp.bak")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named like a temporary location");
    }

    @Test
    void theCommitTimestampKeepsTheFieldsAnOrbaxWriterPutThere() {
        Location checkpoint = root.resolve("step_7");
        StoreCheckpointMetadata metadata = new StoreCheckpointMetadata(store);
        metadata.writeInitTimestamp(checkpoint, Instant.ofEpochSecond(10, 5));
        String withOrbaxFields = new String(readAll(checkpoint), StandardCharsets.UTF_8)
                .replace("{", "{\"item_handlers\":{\"default\":\"StandardCheckpointHandler\"},\"custom_metadata\":{\"k\":[1,2]},");
        store.write(checkpoint.resolve(StoreCheckpointMetadata.FILE_NAME), withOrbaxFields.getBytes(StandardCharsets.UTF_8),
                PutMode.OVERWRITE);

        metadata.writeCommitTimestamp(checkpoint, Instant.ofEpochSecond(20, 7));

        String after = new String(readAll(checkpoint), StandardCharsets.UTF_8);
        assertThat(after).contains("\"item_handlers\":{\"default\":\"StandardCheckpointHandler\"}",
                "\"custom_metadata\":{\"k\":[1,2]}", "\"init_timestamp_nsecs\":10000000005",
                "\"commit_timestamp_nsecs\":20000000007");
        assertThat(metadata.initTimestamp(checkpoint)).contains(Instant.ofEpochSecond(10, 5));
        assertThat(metadata.commitTimestamp(checkpoint)).contains(Instant.ofEpochSecond(20, 7));
    }

    private byte[] readAll(Location checkpoint) {
        return store.readBytes(checkpoint.resolve(StoreCheckpointMetadata.FILE_NAME));
    }
}
