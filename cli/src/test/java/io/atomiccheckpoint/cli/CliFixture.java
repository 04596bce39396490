package io.atomiccheckpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands run in process against one store, after three checkpoints were uploaded through the command line.
 * {@link #runEveryCommand()} is the scenario every store runs once (each invocation opens a store, which on S3 costs
 * a probe of the bucket, so emulators run only this); the filesystem runs the detailed tests too. Subclasses give
 * the store and how the command line reaches it.
 */
abstract class CliFixture {
    @TempDir
    Path local;

    Location root;

    /** A fresh root in the store under test. */
    abstract Location newRoot();

    /** The store under test, to set up and tamper with what the commands see; the test closes it. */
    abstract Store openStore();

    /** The arguments that give the command its settings. */
    abstract List<String> settingArgs();

    /** The environment the command sees. */
    Map<String, String> env() {
        return Map.of();
    }

    @BeforeEach
    void uploadThreeCheckpoints() throws Exception {
        root = newRoot();
        for (int step = 1; step <= 3; step++) {
            Path dir = Files.createDirectories(local.resolve("step" + step + "/params"));
            Files.writeString(dir.resolve("shard-0.bin"), "weights of step " + step);
            Files.writeString(dir.getParent().resolve("meta.json"), "{\"step\": " + step + "}");
            CliRun up = cli("upload", dir.getParent().toString(), root.resolve("step_" + step).toString());
            assertThat(up.code()).as(up.toString()).isZero();
            assertThat(up.out()).contains("committed " + root.resolve("step_" + step) + ": 2 objects");
        }
    }

    CliRun cli(String... args) {
        return cliWith(false, args);
    }

    CliRun cliWith(boolean terminal, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(1, settingArgs());
        long start = System.nanoTime();
        CliRun run = CliRun.run(env(), terminal, all.toArray(String[]::new));
        // What each invocation costs (on S3 it opens a store and probes the bucket), for whoever tunes CI time.
        System.out.printf("%s %s: %d ms%n", getClass().getSimpleName(), args[0], (System.nanoTime() - start) / 1_000_000);
        return run;
    }

    void put(Store store, String key, String content) {
        store.write(root.resolve(key), content.getBytes(StandardCharsets.UTF_8), PutMode.OVERWRITE);
    }

    /** Every command once: list, latest, inspect, verify (intact, then tampered), gc (dry run, then applied). */
    void runEveryCommand() {
        try (Store store = openStore()) {
            put(store, "step_4.orbax-checkpoint-tmp/attempt-x/a.bin", "abandoned");
            put(store, "step_5/a.bin", "no marker");
        }
        CliRun list = cli("list", root.toString());
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("committed +1 .* 2 .* step_1")
                .containsPattern("temporary .* step_4.orbax-checkpoint-tmp")
                .containsPattern("unmarked .* step_5  \\(no commit marker\\)");
        assertThat(cli("latest", root.toString()).out().trim()).isEqualTo(root.resolve("step_3").toString());
        JsonNode inspect = cli("inspect", "--json", "--objects", root.resolve("step_1").toString()).json();
        assertThat(inspect.get("objects")).extracting(o -> o.get("key").asText())
                .containsExactly("meta.json", "params/shard-0.bin");
        assertThat(cli("verify", root.resolve("step_3").toString()).code()).isZero();
        try (Store store = openStore()) {
            put(store, "step_3/params/shard-0.bin", "tampered weights!");
        }
        CliRun tampered = cli("verify", root.resolve("step_3").toString());
        assertThat(tampered.code()).as(tampered.toString()).isEqualTo(Main.NEGATIVE);
        assertThat(tampered.out()).contains("changed     params/shard-0.bin");

        CliRun dry = cli("gc", root.toString(), "--keep", "latest:1", "--temporaries-older-than", "0s");
        assertThat(dry.out()).contains("would delete  step_1").contains("would delete  step_2")
                .contains("would remove  step_4.orbax-checkpoint-tmp");
        assertThat(cli("list", "--json", root.toString()).json()).as("a dry run deletes nothing").hasSize(5);
        CliRun applied = cli("gc", root.toString(), "--keep", "latest:1", "--temporaries-older-than", "0s", "--apply");
        assertThat(applied.code()).as(applied.toString()).isZero();
        assertThat(cli("list", "--json", root.toString()).json()).extracting(n -> n.get("name").asText())
                .containsExactly("step_3", "step_5");
    }
}
