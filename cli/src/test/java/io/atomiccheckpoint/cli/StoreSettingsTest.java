package io.atomiccheckpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags override the environment, which overrides the settings file; the file may be named by the environment. */
class StoreSettingsTest {
    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"),
                "s3.endpoint=http://from-file\ns3.region=file-region\ngcs.project=file-project\n");
        Map<String, String> env = Map.of(StoreSettings.FILE_VARIABLE, file.toString(),
                "ATOMIC_CHECKPOINT_S3_REGION", "env-region", "ATOMIC_CHECKPOINT_S3_RETRY_MAXATTEMPTS", "7",
                "ATOMIC_CHECKPOINT_GCS_PROJECT", "env-project", "UNRELATED", "x");

        StoreConfig config = StoreSettings.resolve(null, env, Map.of("gcs.project", "flag-project"));

        assertThat(config.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of("s3.endpoint", "http://from-file",
                "s3.region", "env-region", "s3.retry.maxAttempts", "7", "gcs.project", "flag-project"));
        assertThat(StoreSettings.variableFor("azure.connectionString")).isEqualTo("ATOMIC_CHECKPOINT_AZURE_CONNECTIONSTRING");
    }
}
