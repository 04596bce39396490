package io.atomiccheckpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command on the filesystem store, reached through plain local paths as well as file:// locations: the shared
 * scenario, then each command's details (JSON, Orbax checkpoints, exit codes, gc safety, progress).
 */
class FileSystemCliTest extends CliFixture {
    @TempDir
    Path checkpoints;

    @Override
    Location newRoot() {
        return Location.of(checkpoints.toAbsolutePath());
    }

    @Override
    Store openStore() {
        return Store.open(root, StoreConfig.empty().with("fs.fsync", "false"));
    }

    @Override
    List<String> settingArgs() {
        return List.of("-s", "fs.fsync=false");
    }

    @Test
    void everyCommandInOneSession() {
        runEveryCommand();
    }

    @Test
    void listFlagsTemporariesAndUnmarkedPrefixesAndLatestIsTheHighestStep() {
        try (Store store = openStore()) {
            put(store, "step_4.orbax-checkpoint-tmp/attempt-x/a.bin", "half");
            put(store, "step_5/a.bin", "no marker");
        }

        CliRun text = cli("list", root.toString());
        CliRun json = cli("list", "--json", root.toString());
        CliRun latest = cli("latest", root.toString());

        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).containsPattern("committed +3 .* 2 .* step_3")
                .containsPattern("temporary .* step_4.orbax-checkpoint-tmp")
                .containsPattern("unmarked .* step_5  \\(no commit marker\\)");
        JsonNode rows = json.json();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(1).get("status").asText()).isEqualTo("committed");
        assertThat(rows.get(1).get("step").asLong()).isEqualTo(2);
        assertThat(rows.get(1).get("header").get("objectCount").asLong()).isEqualTo(2);
        assertThat(rows.get(1).get("header").get("totalBytes").asLong()).isEqualTo("weights of step 2".length() + 11);
        assertThat(rows.get(3).get("status").asText()).isEqualTo("temporary");
        assertThat(rows.get(4).get("status").asText()).isEqualTo("unmarked");
        assertThat(latest.code()).isZero();
        assertThat(latest.out().trim()).isEqualTo(root.resolve("step_3").toString());
        assertThat(cli("latest", "--json", root.toString()).json().get("step").asLong()).isEqualTo(3);
    }

    @Test
    void latestOfAnEmptyRootExitsOne() {
        CliRun latest = cli("latest", root.resolve("nothing-here").toString());
        assertThat(latest.code()).as(latest.toString()).isEqualTo(Main.NEGATIVE);
        assertThat(latest.out()).isEmpty();
    }

    @Test
    void inspectPrintsTheHeaderAndStreamsTheObjects() {
        String ckpt = root.resolve("step_2").toString();

        CliRun text = cli("inspect", "--objects", ckpt);
        JsonNode json = cli("inspect", "--json", "--objects", ckpt).json();

        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("objects      2").contains("strategy PrefixCopyCommit")
                .containsPattern("17 .* params/shard-0.bin");
        assertThat(json.get("header").get("commitId").asText()).isNotBlank();
        assertThat(json.get("objects")).extracting(o -> o.get("key").asText())
                .containsExactly("meta.json", "params/shard-0.bin");
        assertThat(cli("inspect", root.resolve("step_9").toString()).code()).isEqualTo(Main.NEGATIVE);
    }

    @Test
    void verifyExitsZeroWhenIntactAndOneWhenTamperedOrUnmarked() {
        String ckpt = root.resolve("step_2").toString();
        CliRun intact = cli("verify", ckpt);
        assertThat(intact.code()).as(intact.toString()).isZero();
        assertThat(intact.out()).startsWith("VALID ").contains("2 objects checked, 0 missing, 0 changed, 0 unexpected");

        try (Store store = openStore()) {
            put(store, "step_2/params/shard-0.bin", "tampered weights!");
            put(store, "step_2/extra.bin", "smuggled");
        }
        CliRun tampered = cli("verify", ckpt);
        JsonNode json = cli("verify", "--json", ckpt).json();

        assertThat(tampered.code()).as(tampered.toString()).isEqualTo(Main.NEGATIVE);
        assertThat(tampered.out()).startsWith("INVALID ").contains("1 changed, 1 unexpected")
                .contains("changed     params/shard-0.bin").contains("unexpected  extra.bin");
        assertThat(json.get("valid").asBoolean()).isFalse();
        assertThat(json.get("changed").get("count").asLong()).isEqualTo(1);
        CliRun unmarked = cli("verify", root.resolve("step_9").toString());
        assertThat(unmarked.code()).isEqualTo(Main.NEGATIVE);
        assertThat(unmarked.out()).contains("NO_MARKER");
    }

    @Test
    void anOrbaxCheckpointIsListedInspectedVerifiedAndKeptAsTheLatest() {
        try (Store store = openStore()) {
            put(store, "step_7/params.bin", "orbax weights");
            put(store, "step_7/commit_success.txt", "Checkpoint commit was successful to " + root.resolve("step_7"));
        }

        assertThat(cli("list", root.toString()).out()).containsPattern("orbax +7 .* - +- +- +step_7");
        assertThat(cli("latest", root.toString()).out().trim()).isEqualTo(root.resolve("step_7").toString());
        assertThat(cli("inspect", root.resolve("step_7").toString()).out()).contains("Orbax text marker");
        CliRun verify = cli("verify", root.resolve("step_7").toString());
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("none were checked");
        CliRun gc = cli("gc", root.toString(), "--keep", "latest:1", "--apply");
        assertThat(gc.code()).as(gc.toString()).isZero();
        assertThat(cli("list", "--json", root.toString()).json()).extracting(n -> n.get("name").asText())
                .containsExactly("step_7");
    }

    @Test
    void gcIsADryRunUntilApplyAndNeverDeletesTheLatest() {
        try (Store store = openStore()) {
            put(store, "step_4.orbax-checkpoint-tmp/attempt-x/a.bin", "abandoned");
        }

        CliRun dry = cli("gc", root.toString(), "--keep", "latest:1", "--keep", "every-steps:2",
                "--temporaries-older-than", "0s");
        assertThat(dry.code()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would delete  step_1").contains("keep          step_2  (every-2-steps)")
                .contains("keep          step_3  (latest-1, latest)")
                .contains("would remove  step_4.orbax-checkpoint-tmp")
                .contains("dry run: would delete 1 checkpoints and 1 temporaries");
        assertThat(cli("list", "--json", root.toString()).json()).as("a dry run deletes nothing").hasSize(4);

        JsonNode applied = cli("gc", "--json", root.toString(), "--keep", "latest:1", "--keep", "every-steps:2",
                "--temporaries-older-than", "0s", "--apply").json();

        assertThat(applied.get("dryRun").asBoolean()).isFalse();
        assertThat(applied.get("checkpoints").get(0).get("deleted").asBoolean()).isTrue();
        assertThat(applied.get("temporaries").get(0).get("removed").asBoolean()).isTrue();
        assertThat(cli("list", "--json", root.toString()).json()).extracting(n -> n.get("name").asText())
                .containsExactly("step_2", "step_3");
        assertThat(cli("verify", root.resolve("step_2").toString()).code()).isZero();

        cli("gc", root.toString(), "--keep", "latest:0", "--apply");
        assertThat(cli("latest", root.toString()).out().trim()).isEqualTo(root.resolve("step_3").toString());
    }

    @Test
    void gcWithoutAPolicyRefusesAndABadPolicyIsAUsageError() {
        CliRun none = cli("gc", root.toString(), "--apply");
        CliRun bad = cli("gc", root.toString(), "--keep", "oldest:3");

        assertThat(none.code()).isEqualTo(Main.ERROR);
        assertThat(none.err()).contains("nothing to do");
        assertThat(bad.code()).isEqualTo(Main.ERROR);
        assertThat(bad.err()).contains("unknown policy oldest");
        assertThat(cli("list", "--json", root.toString()).json()).hasSize(3);
    }

    @Test
    void progressGoesToStderrOnlyOnATerminalOrWhenForced() throws Exception {
        Path dir = Files.createDirectories(local.resolve("big"));
        for (int i = 0; i < 5; i++) {
            Files.write(dir.resolve("f" + i), new byte[1000]);
        }

        CliRun quiet = cliWith(false, "upload", dir.toString(), root.resolve("step_10").toString());
        CliRun shown = cliWith(true, "upload", dir.toString(), root.resolve("step_11").toString());
        CliRun verify = cliWith(true, "verify", root.resolve("step_11").toString());

        assertThat(quiet.err()).isEmpty();
        assertThat(shown.err()).contains("staging [").contains("copying [").contains("5/5 objects, 4.9 KiB/4.9 KiB");
        assertThat(shown.out()).doesNotContain("[");
        assertThat(verify.err()).contains("verifying [").contains("5/5 objects");
        assertThat(cliWith(true, "verify", "--progress", "never", root.resolve("step_11").toString()).err()).isEmpty();
    }


    @Test
    void aPlainLocalPathNamesTheSameCheckpoints() {
        CliRun byPath = cli("latest", checkpoints.toString());
        assertThat(byPath.code()).as(byPath.toString()).isZero();
        assertThat(byPath.out().trim()).isEqualTo(root.resolve("step_3").toString());
    }

    @Test
    void anUnknownSettingIsAnErrorThatNamesTheKeyOnly() {
        CliRun bad = CliRun.run(java.util.Map.of(), false, "list", "-s", "fs.nonsense=secret-value",
                checkpoints.toString());
        assertThat(bad.code()).isEqualTo(Main.ERROR);
        assertThat(bad.err()).startsWith("error: ").contains("fs.nonsense").doesNotContain("secret-value");
    }
}
