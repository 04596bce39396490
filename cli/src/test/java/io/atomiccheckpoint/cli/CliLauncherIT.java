package io.atomiccheckpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real launcher ({@code cli/atomic-checkpoint}, which runs the packaged jar with its {@code lib/}) as child
 * processes on a local directory, the way a user would, and writes what it printed to
 * {@code target/cli-transcript.txt}: the README's CLI transcript is that file.
 */
class CliLauncherIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("atomiccheckpoint.cli.launcher", "atomic-checkpoint"));

    @TempDir
    Path work;

    private final StringBuilder transcript = new StringBuilder();

    private record Ran(int code, String out, String err) {
    }

    /** Runs {@code atomic-checkpoint args} in {@link #work}, recording the command line and what it printed. */
    private Ran run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        Ran ran = new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
        transcript.append("$ atomic-checkpoint ").append(String.join(" ", args)).append('\n').append(ran.out())
                .append(ran.err());
        if (ran.code() != 0) {
            transcript.append("[exit ").append(ran.code()).append("]\n");
        }
        transcript.append('\n');
        return ran;
    }

    @Test
    void theLauncherRunsEveryCommandAsAUserWould() throws Exception {
        for (int step = 100; step <= 300; step += 100) {
            Path dir = Files.createDirectories(work.resolve("local/step_" + step + "/params"));
            Files.write(dir.resolve("shard-0.bin"), new byte[4096 * step / 100]);
            Files.writeString(dir.getParent().resolve("meta.json"), "{\"step\": " + step + "}");
        }
        Files.createDirectories(work.resolve("ckpts/step_400.orbax-checkpoint-tmp/attempt-x"));
        Files.writeString(work.resolve("ckpts/step_400.orbax-checkpoint-tmp/attempt-x/a.bin"), "abandoned");

        for (int step = 100; step <= 300; step += 100) {
            assertThat(run("upload", "--writer-id", "trainer-0", "local/step_" + step, "ckpts/step_" + step).code())
                    .isZero();
        }
        Ran list = run("list", "ckpts");
        Ran latest = run("latest", "ckpts");
        run("inspect", "--objects", "ckpts/step_200");
        Ran valid = run("verify", "ckpts/step_200");
        Files.writeString(work.resolve("ckpts/step_200/params/shard-0.bin"), "tampered");
        Ran tampered = run("verify", "ckpts/step_200");
        Ran dry = run("gc", "ckpts", "--keep", "latest:1", "--keep", "every-steps:200", "--temporaries-older-than", "1h");
        Ran applied = run("gc", "ckpts", "--keep", "latest:1", "--temporaries-older-than", "0s", "--apply");
        Ran json = run("latest", "--json", "ckpts");

        assertThat(list.out()).contains("committed").contains("temporary").contains("trainer-0");
        assertThat(latest.out().trim()).endsWith("/ckpts/step_300");
        assertThat(valid.code()).isZero();
        assertThat(tampered.code()).isEqualTo(Main.NEGATIVE);
        assertThat(tampered.err()).as("no progress bar: stderr is not a terminal").isEmpty();
        assertThat(dry.out()).contains("would delete  step_100");
        assertThat(applied.code()).isZero();
        assertThat(work.resolve("ckpts/step_100")).doesNotExist();
        assertThat(work.resolve("ckpts/step_400.orbax-checkpoint-tmp")).doesNotExist();
        assertThat(json.out()).contains("\"step\" : 300");
        assertThat(run("--help").out()).contains("Exit codes: 0 success, 1 invalid or not found, 2 error.");

        String text = transcript.toString().replace(work.toAbsolutePath().toString(), "/home/me/demo");
        Files.writeString(Path.of("target", "cli-transcript.txt"), text, StandardCharsets.UTF_8);
    }
}
