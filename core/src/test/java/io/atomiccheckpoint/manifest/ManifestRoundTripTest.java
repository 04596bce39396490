package io.atomiccheckpoint.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestRoundTripTest {
    private static final Location CHECKPOINT = Location.parse("gs://bucket/ckpt/step_1");

    @Test
    void writtenManifestReadsBackEntryForEntry() throws IOException {
        List<ManifestEntry> entries = List.of(
                new ManifestEntry("a.bin", 10, "1700000000000001", Map.of("crc32c", "AAAAAA==", "md5", "xyz==")),
                new ManifestEntry("dir/b.bin", 0, null, Map.of()),
                new ManifestEntry("dir/ü \"quoted\"", 5, "etag-\"5\"", Map.of("crc64nvme", "abc")));
        Instant init = Instant.parse("2026-11-29T00:00:00.123456789Z");
        Instant commit = Instant.parse("2026-11-29T00:00:01Z");
        byte[] json;
        try (ManifestWriter writer = new ManifestWriter()) {
            entries.forEach(writer::add);
            Path file = writer.finish("PrefixCopyCommit", "host@1", "commit-1", CHECKPOINT.toString(), init, commit);
            json = Files.readAllBytes(file);
        }
        try (ManifestReader reader = ManifestReader.open(new ByteArrayInputStream(json), CHECKPOINT, "commit_success.txt",
                1 << 20)) {
            ManifestHeader h = reader.header();
            assertThat(h.strategy()).isEqualTo("PrefixCopyCommit");
            assertThat(h.writerId()).contains("host@1");
            assertThat(h.commitId()).contains("commit-1");
            assertThat(h.location()).contains(CHECKPOINT.toString());
            assertThat(h.initTimestamp()).contains(init);
            assertThat(h.commitTimestamp()).contains(commit);
            assertThat(h.objectCount()).isEqualTo(3);
            assertThat(h.totalBytes()).isEqualTo(15);
            assertThat(h.hasInventory()).isTrue();
            List<ManifestEntry> read = new ArrayList<>();
            reader.entries().forEachRemaining(read::add);
            assertThat(read).containsExactlyElementsOf(entries);
        }
    }

    @Test
    void writerRefusesEntriesOutOfOrder() {
        try (ManifestWriter writer = new ManifestWriter()) {
            writer.add(new ManifestEntry("b", 1, null, null));
            assertThatThrownBy(() -> writer.add(new ManifestEntry("a", 1, null, null)))
                    .hasMessageContaining("manifest entries out of order: 'a' after 'b'");
        }
    }

    private static CorruptManifestException readFails(String json, long max) {
        try (ManifestReader reader = ManifestReader.open(new ByteArrayInputStream(json.getBytes()), CHECKPOINT,
                "commit_success.txt", max)) {
            Iterator<ManifestEntry> it = reader.entries();
            while (it.hasNext()) {
                it.next();
            }
        } catch (CorruptManifestException e) {
            return e;
        }
        throw new AssertionError("expected a corrupt manifest: " + json);
    }

    @Test
    void readerNamesEachProblem() {
        String head = "{\"format\":\"atomic-checkpoint-manifest\",\"formatVersion\":1,\"commitTimestamp\":\"2026-01-01T00:00:00Z\",";
        assertThat(readFails("[1,2]", 1000).getMessage()).contains("neither a manifest");
        assertThat(readFails("{\"format\":\"other\",\"formatVersion\":1,\"entries\":[]}", 1000).getMessage())
                .contains("'format' must be 'atomic-checkpoint-manifest'");
        assertThat(readFails(head + "\"objectCount\":1,\"totalBytes\":1,\"entries\":[{\"key\":\"a\"", 1000).getMessage())
                .contains("malformed or truncated");
        assertThat(readFails(head + "\"objectCount\":2,\"totalBytes\":1,\"entries\":[{\"key\":\"a\",\"size\":1}]}", 1000)
                .getMessage()).contains("header says 2 objects / 1 bytes but lists 1 / 1");
        assertThat(readFails(head + "\"objectCount\":2,\"totalBytes\":2,\"entries\":[{\"key\":\"b\",\"size\":1},"
                + "{\"key\":\"a\",\"size\":1}]}", 1000).getMessage()).contains("not in ascending key order");
        CorruptManifestException escape = readFails(head + "\"objectCount\":1,\"totalBytes\":1,\"entries\":"
                + "[{\"key\":\"../x\",\"size\":1}]}", 1000);
        assertThat(escape.problem()).isEqualTo(CorruptManifestException.Problem.ENTRY_OUTSIDE_CHECKPOINT);
        assertThat(escape.getMessage()).contains("manifest entry '../x' does not name an object inside gs://bucket/ckpt/step_1");
        assertThat(readFails(head + "\"objectCount\":1,\"totalBytes\":1,\"entries\":[{\"key\":\"commit_success.txt\","
                + "\"size\":1}]}", 1000).getMessage()).contains("lists the marker itself");
        assertThat(readFails(head + "\"objectCount\":0,\"totalBytes\":0,\"entries\":[]} trailing", 1000).getMessage())
                .contains("malformed or truncated");
        CorruptManifestException big = readFails(head + "\"objectCount\":0,\"totalBytes\":0,\"entries\":[]}" + " ".repeat(2000),
                1024);
        assertThat(big.problem()).isEqualTo(CorruptManifestException.Problem.TOO_LARGE);
        assertThat(big.getMessage()).contains("larger than the 1024-byte limit");
        assertThat(readFails(head.replace("\"formatVersion\":1", "\"formatVersion\":2")
                + "\"objectCount\":0,\"totalBytes\":0,\"entries\":[]}", 1000).getMessage())
                .contains("manifest formatVersion 2 is not supported");
    }

    @Test
    void referenceImplementationMarkerIsAcceptedWithoutInventory() {
        try (ManifestReader reader = ManifestReader.open(new ByteArrayInputStream(
                "Checkpoint commit was successful to gs://bucket/ckpt/step_1".getBytes()), CHECKPOINT,
                "commit_success.txt", 1000)) {
            assertThat(reader.header().hasInventory()).isFalse();
            assertThat(reader.entries().hasNext()).isFalse();
        }
    }
}
