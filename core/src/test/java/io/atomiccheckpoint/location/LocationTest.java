package io.atomiccheckpoint.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationTest {

    @Test
    void parsesEachScheme() {
        Location gs = Location.parse("gs://my-bucket/ckpts/step_1/");
        assertThat(gs.scheme()).isEqualTo(Scheme.GCS);
        assertThat(gs.bucket()).isEqualTo("my-bucket");
        assertThat(gs.key()).isEqualTo("ckpts/step_1");
        assertThat(gs.toString()).isEqualTo("gs://my-bucket/ckpts/step_1");
        assertThat(gs.prefix()).isEqualTo("ckpts/step_1/");
        assertThat(gs.name()).isEqualTo("step_1");

        Location s3 = Location.parse("s3://bucket.with.dots/a");
        assertThat(s3.scheme()).isEqualTo(Scheme.S3);
        assertThat(s3.bucket()).isEqualTo("bucket.with.dots");

        Location az = Location.parse("az://container-1/a/b");
        assertThat(az.scheme()).isEqualTo(Scheme.AZURE);
        assertThat(az.account()).isEmpty();
        assertThat(az.toString()).isEqualTo("az://container-1/a/b");

        Location https = Location.parse("https://myaccount.blob.core.windows.net/container/dir/a%20b");
        assertThat(https.scheme()).isEqualTo(Scheme.AZURE);
        assertThat(https.account()).contains("myaccount");
        assertThat(https.bucket()).isEqualTo("container");
        assertThat(https.key()).isEqualTo("dir/a b");
        assertThat(https.toString()).isEqualTo("https://myaccount.blob.core.windows.net/container/dir/a%20b");

        Location file = Location.parse("file:///tmp/x%20y/z");
        assertThat(file.scheme()).isEqualTo(Scheme.FILE);
        assertThat(file.key()).isEqualTo("tmp/x y/z");
        assertThat(file.toPath()).isEqualTo(Path.of("/tmp/x y/z"));
        assertThat(Location.parse("file://localhost/tmp")).isEqualTo(Location.parse("file:///tmp"));
    }

    @Test
    void bucketRootHasAnEmptyKey() {
        Location root = Location.parse("gs://bucket");
        assertThat(root.isRoot()).isTrue();
        assertThat(root.prefix()).isEmpty();
        assertThat(root.parent()).isEmpty();
        assertThat(Location.parse("gs://bucket/")).isEqualTo(root);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''|a location is required",
        "no-scheme/path|expected scheme://",
        "ftp://host/x|unsupported scheme 'ftp'",
        "gs:///key|no bucket",
        "s3://|no bucket",
        "az:///key|no container",
        "gs://bucket/a/../b|'..' path segments are not allowed",
        "gs://bucket/./b|'.' path segments are not allowed",
        "s3://bucket/a//b|empty path segment",
        "s3://bucket//a|empty path segment ('//') after the bucket",
        "gs://bucket/a/%2e%2e/b|percent-encoded '.', '/' or '\\' (%2e)",
        "gs://bucket/a%2Fb|percent-encoded",
        "s3://bucket/a\\b|backslash",
        "gs://bucket/a?x=1|query strings and fragments are not allowed",
        "https://acct.blob.core.windows.net/c/k?sv=2020&sig=secret|query strings and fragments are not allowed",
        "gs://bucket/a#frag|query strings and fragments are not allowed",
        "gs://Bucket/a|GCS bucket name 'Bucket' may only contain lowercase",
        "gs://ab/a|GCS bucket name 'ab' must be 3 to 63 characters",
        "gs://goog-bucket/a|may not start with 'goog'",
        "gs://my-google-bucket/a|contain 'google'",
        "gs://-bucket/a|must start and end with a letter or digit",
        "gs://192.168.1.1/a|may not be an IP address",
        "s3://my_bucket/a|S3 bucket name 'my_bucket' may only contain lowercase letters, digits, '-' and '.'",
        "s3://a..b/a|two adjacent periods",
        "s3://xn--bucket/a|reserved prefix 'xn--'",
        "s3://bucket-s3alias/a|reserved suffix '-s3alias'",
        "s3://10.0.0.1/a|may not be an IP address",
        "az://Container/a|Azure container name 'Container'",
        "az://con--tainer/a|single '-' between them",
        "az://container-/a|Azure container name 'container-'",
        "https://example.com/c/k|https locations must name Azure Blob Storage",
        "https://UPPER_case.blob.core.windows.net/c/k|Azure storage account name",
        "https://acct.blob.core.windows.net/|no container",
        "file://remote-host/tmp|file locations must be absolute and local",
        "file:///tmp/%zz|malformed percent escape",
        "file:///tmp/%2e%2e/etc|'..' path segments are not allowed",
        "file:///tmp/a%2fb|percent-encoded separator",
    })
    void rejectsInvalidInputNamingTheRule(String input, String expected) {
        assertThatThrownBy(() -> Location.parse(input))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void rejectsControlCharactersAndPrintsThemVisibly() {
        assertThatThrownBy(() -> Location.parse("gs://bucket/a\nFAKE LOG LINE"))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("control character U+000A at index 13")
                .hasMessageContaining("\\u000A")
                .hasMessageNotContaining("\n");
    }

    @Test
    void rejectsKeysLongerThanTheCloudsAllow() {
        String longKey = "k".repeat(1025);
        assertThatThrownBy(() -> Location.parse("s3://bucket/" + longKey))
                .hasMessageContaining("key is 1025 bytes in UTF-8; at most 1024 are allowed");
        assertThat(Location.parse("s3://bucket/" + "k".repeat(1024)).key()).hasSize(1024);
    }

    @Test
    void resolveStaysInsideTheLocation() {
        Location base = Location.parse("gs://bucket/ckpt");
        assertThat(base.resolve("a/b.bin").key()).isEqualTo("ckpt/a/b.bin");
        assertThat(base.contains(base.resolve("a/b.bin"))).isTrue();
        assertThat(base.contains(Location.parse("gs://bucket/ckpt-other/x"))).isFalse();
        assertThat(base.relativeKey("ckpt/a/b.bin")).contains("a/b.bin");
        assertThat(base.relativeKey("ckpt2/a")).isEmpty();
        for (String bad : new String[] {"..", "../x", "a/../../x", "/abs", "a//b", "", "a/./b", "x\\y", "tab\there"}) {
            assertThatThrownBy(() -> base.resolve(bad)).as(bad).isInstanceOf(InvalidLocationException.class)
                    .hasMessageContaining("gs://bucket/ckpt");
        }
    }

    @Test
    void siblingAndParent() {
        Location step = Location.parse("s3://bucket/root/step_1");
        assertThat(step.sibling("step_1.tmp")).isEqualTo(Location.parse("s3://bucket/root/step_1.tmp"));
        assertThat(step.parent()).contains(Location.parse("s3://bucket/root"));
        assertThatThrownBy(() -> Location.parse("s3://bucket").sibling("x")).hasMessageContaining("the root has no siblings");
    }

    @Test
    void azureFactoryValidatesAccountAndContainer() {
        assertThat(Location.azure("acct", "container", "k").toString())
                .isEqualTo("https://acct.blob.core.windows.net/container/k");
        assertThatThrownBy(() -> Location.azure("Bad!", "container", "k"))
                .hasMessageContaining("Azure storage account name 'Bad!'");
    }

    @Test
    void localPathsBecomeFileLocations() {
        Location loc = Location.of(Path.of("/tmp/../tmp/ckpt"));
        assertThat(loc.toString()).isEqualTo("file:///tmp/ckpt");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "https://acct.blob.core.windows.net/c/k?sv=2020&sig=SECRET0",
        "s3://bucket/k?X-Amz-Signature=SECRET0&X-Amz-Credential=SECRET0",
        "gs://bucket/k?access_token=SECRET0",
        "https://user:SECRET0@acct.blob.core.windows.net/c/k",
        "gs://user:SECRET0@bucket/k\nforged",
    })
    void errorMessagesNeverEchoASecretTheInputCarried(String input) {
        assertThatThrownBy(() -> Location.parse(input))
                .isInstanceOf(InvalidLocationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET0").doesNotContain("\n"));
    }

    @Test
    void errorMessagesCapWhatTheyQuote() {
        String huge = "gs://bucket/" + "k".repeat(3_000_000) + "\nFAKE LOG LINE";
        assertThatThrownBy(() -> Location.parse(huge))
                .isInstanceOf(InvalidLocationException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(2_000).doesNotContain("\n"));
    }
}
