package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a user's log shows at INFO for one commit of many objects: one line, nothing per object. slf4j-simple
 * (the test binding) writes to whatever {@code System.err} is at the time, so the test reads it there.
 */
class CommitLoggingTest {
    private static final int OBJECTS = 50;

    @Test
    void oneInfoLinePerCommitAndNothingPerObject() throws Exception {
        Location finalLocation = Location.parse("mem://bucket/logged/step_7");
        PrefixCopyCommit strategy = new PrefixCopyCommit(Store.of(new InMemoryObjectStore()),
                CommitSettings.builder().cleanupInBackground(false).build());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
            checkpoint.createBlocking();
            for (int i = 0; i < OBJECTS; i++) {
                checkpoint.staging().write("part-" + i, new byte[] {(byte) i});
            }
            checkpoint.commitBlocking();
        } finally {
            System.setErr(original);
        }
        List<String> info = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(" INFO ") && line.contains("logged/step_7"))
                .collect(Collectors.toList());
        assertThat(info).as("INFO lines about the checkpoint").hasSize(1);
        assertThat(info.get(0)).contains("committed").contains(String.valueOf(OBJECTS));
    }
}
