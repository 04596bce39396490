package io.atomiccheckpoint.djl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example's {@code main} on a local root and checks what it printed and left behind. */
class DjlCheckpointExampleTest {
    @TempDir
    Path root;

    @Test
    void theExampleResumesFromItsLatestEpochAndKeepsTheLatestTwo() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            DjlCheckpointExample.main(new String[] {root.toUri().toString()});
        } finally {
            System.setOut(original);
        }
        Location rootLocation = Location.of(root);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("run 1: no checkpoint yet")
                .contains("run 2: resumed from " + rootLocation.resolve("epoch_3"))
                .contains("committed " + rootLocation.resolve("epoch_6"));
        try (Store store = Store.open(rootLocation, StoreConfig.empty())) {
            assertThat(new CheckpointDirectory(store, rootLocation).committed().map(c -> c.location().name())
                    .collect(Collectors.toList())).containsExactly("epoch_5", "epoch_6");
        }
    }
}
