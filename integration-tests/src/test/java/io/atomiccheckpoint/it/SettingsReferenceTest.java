package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.azure.AzureStoreSettings;
import io.atomiccheckpoint.gcs.GcsSettings;
import io.atomiccheckpoint.s3.S3Settings;
import io.atomiccheckpoint.store.Setting;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code SETTINGS.md} true: it is rendered from the {@link Setting} constants every store declares, so a key
 * added, renamed or redocumented in code fails this test until the page is regenerated
 * ({@code mvn -pl integration-tests verify -Dtest=SettingsReferenceTest -Dsettings.write=true}).
 */
class SettingsReferenceTest {
    private record Section(String title, String prefix, List<Setting<?>> settings, String example) {
    }

    private static final List<Section> SECTIONS = List.of(
            new Section("Filesystem (`file:///`, in `atomic-checkpoint-core`)", "fs", FileSystemObjectStore.SETTINGS,
                    "fs.fsync=false\nfs.directoryPermissions=rwxr-x---"),
            new Section("Google Cloud Storage (`gs://`, `atomic-checkpoint-gcs`)", "gcs", GcsSettings.SETTINGS,
                    "# fake-gcs-server on loopback, as the tests run it\ngcs.endpoint=http://127.0.0.1:4443\n"
                            + "gcs.credentials=none\ngcs.project=test-project"),
            new Section("Amazon S3 and S3-compatible servers (`s3://`, `atomic-checkpoint-s3`)", "s3", S3Settings.SETTINGS,
                    "# S3Mock or LocalStack on loopback, as the tests run them\ns3.endpoint=http://127.0.0.1:9090\n"
                            + "s3.region=us-east-1\ns3.pathStyle=true\ns3.credentials=static\ns3.accessKeyId=test\n"
                            + "s3.secretAccessKey=test"),
            new Section("Azure Blob Storage (`az://` or `https://<account>.blob.core.windows.net/`, "
                    + "`atomic-checkpoint-azure`)", "azure", AzureStoreSettings.SETTINGS,
                    "# Azurite on loopback, as the tests run it (its well-known development key)\n"
                            + "azure.connectionString=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                            + "AccountKey=<the Azurite key>;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"));

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Store settings\n\n")
                .append("Generated from the `Setting` constants each store declares (`SettingsReferenceTest` fails when\n")
                .append("this page and the code disagree). Settings are string keys in a `StoreConfig`, passed to\n")
                .append("`Store.open(location, config)`. Every store refuses a key under its own prefix that it does not\n")
                .append("know, and the retry and timeout keys have the same names after the prefix on every cloud.\n")
                .append("Values marked secret are never printed, not even in errors about their format.\n");
        for (Section section : SECTIONS) {
            out.append("\n## ").append(section.title()).append("\n\n| key | default | meaning |\n|---|---|---|\n");
            for (Setting<?> s : section.settings()) {
                out.append("| `").append(s.key()).append("` | ").append(s.secret() ? "(secret; none)"
                        : s.defaultValue().map(SettingsReferenceTest::show).orElse("(none)")).append(" | ")
                        .append(s.description().replace("|", "\\|")).append(" |\n");
            }
            out.append("\nExample:\n\n```properties\n").append(section.example()).append("\n```\n");
        }
        return out.toString();
    }

    private static String show(Object value) {
        if (value instanceof Duration) {
            return "`" + value + "`";
        }
        if (value instanceof Enum) {
            return "`" + Setting.spelling((Enum<?>) value) + "`";
        }
        return "`" + value + "`";
    }

    @Test
    void theSettingsPageMatchesTheCode() throws IOException {
        Path page = Path.of("").toAbsolutePath().getParent().resolve("SETTINGS.md");
        String expected = render();
        if (Boolean.getBoolean("settings.write")) {
            Files.writeString(page, expected, StandardCharsets.UTF_8);
        }
        Path rendered = Path.of("target", "SETTINGS.md");
        Files.createDirectories(rendered.getParent());
        Files.writeString(rendered, expected, StandardCharsets.UTF_8);
        assertThat(Files.exists(page)).as("SETTINGS.md at the repository root").isTrue();
        assertThat(Files.readString(page, StandardCharsets.UTF_8))
                .as("SETTINGS.md is out of date: compare with integration-tests/target/SETTINGS.md, or regenerate with"
                        + " -Dsettings.write=true").isEqualTo(expected);
        for (Section section : SECTIONS) {
            for (Setting<?> s : section.settings()) {
                assertThat(s.key()).as("every key is under its store's prefix").startsWith(section.prefix() + ".");
                assertThat(s.description()).as(s.key()).isNotBlank();
            }
        }
    }
}
