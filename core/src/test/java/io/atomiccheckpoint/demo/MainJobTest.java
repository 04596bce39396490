package io.atomiccheckpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.location.Location;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainJobTest {
    @TempDir
    Path dir;

    @Test
    void mainJobCommitsValidatesAndListsSuccessiveCheckpoints() throws Exception {
        for (int run = 1; run <= 2; run++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = MainJob.run(Location.of(dir), new PrintStream(out, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isZero();
            assertThat(printed).contains("committed:  CommitResult{file://" + dir + "/step_" + run + ", objects=6")
                    .contains("checked 6, missing 0[], changed 0[], unexpected 0[]")
                    .contains("latest:     file://" + dir + "/step_" + run + " (step " + run + ")");
        }
        assertThat(Files.exists(dir.resolve("step_2/commit_success.txt"))).isTrue();
        assertThat(Files.exists(dir.resolve("step_2.orbax-checkpoint-tmp"))).isFalse();
    }
}
