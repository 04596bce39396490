package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.atomicity.ValidationError.Rule;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.PutMode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven hostile and malformed input: each gets a specific error, and nothing outside the checkpoint's
 * own prefixes is read, written or deleted (checked by recording every call, by listing the rest of the scratch
 * area before and after, and by canaries placed right beside each checkpoint the test acts on, where a prefix
 * match without its separator would hit them). Malformed locations refused by {@code Location.parse} never reach
 * a store and are counted apart.
 */
class HostileInputTest {
    private static final String MARKER = CommitSettings.DEFAULT_MARKER_NAME;
    private static final long HUNDRED_MIB = 100L * 1024 * 1024;
    /** The checkpoints the test acts on; each gets canaries beside it. */
    private static final List<String> TOUCHED = List.of("hostile-corrupted", "hostile-truncated", "hostile-outside",
            "hostile-absolute", "hostile-future", "hostile-huge", "committed", "linked");

    static List<StoreFixture> fixtures() {
        return Fixtures.all();
    }

    private static String manifest(String entries, int count, int bytes) {
        return "{\"format\":\"atomic-checkpoint-manifest\",\"formatVersion\":1,\"commitTimestamp\":\"2026-01-01T00:00:00Z\","
                + "\"objectCount\":" + count + ",\"totalBytes\":" + bytes + ",\"entries\":[" + entries + "]}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void hostileInputGetsASpecificErrorAndTouchesNothingElse(StoreFixture fixture) throws Exception {
        Location scratch = fixture.newScratchLocation();
        // Canaries where a wrong delete or write would land: beside every checkpoint the test does touch, under
        // names that share its prefix without the separator (a prefix match missing its '/'), under its temporary
        // suffix with something appended, and one level up.
        List<String> canaries = new ArrayList<>(List.of("canary/a"));
        for (String touched : TOUCHED) {
            for (String canary : new String[] {touched + "-other/a", touched + "0/a", touched + "x",
                    touched.substring(0, touched.length() - 1), touched + CommitSettings.DEFAULT_TEMPORARY_SUFFIX + "-x/a",
                    touched + CommitSettings.DEFAULT_TEMPORARY_SUFFIX + "0"}) {
                canaries.add(canary);
            }
        }
        for (String canary : canaries) {
            fixture.store().write(scratch.resolve(canary), canary.getBytes(StandardCharsets.UTF_8), PutMode.CREATE);
        }
        Path linkTarget = null;
        if (scratch.scheme() == Scheme.FILE) {
            linkTarget = Files.createDirectories(scratch.resolve("canary-dir").toPath());
            Files.writeString(linkTarget.resolve("keep"), "keep");
        }
        Map<String, String> before = Checks.snapshot(fixture.store(), scratch);
        RecordingObjectStore recording = new RecordingObjectStore(fixture.store().spi());
        PrefixCopyCommit strategy = new PrefixCopyCommit(Store.of(recording));
        List<Location> allowed = new ArrayList<>();
        int tried = 0;
        int parsed = 0;

        // Malformed and hostile locations, in the fixture's own scheme.
        String base = scratch.toString();
        String bucketRoot = base.substring(0, base.length() - scratch.key().length());
        Object[][] uris = {
            {base + "/a/../b", "'..' path segments are not allowed"},
            {base + "/%2e%2e/b", scratch.scheme() == Scheme.FILE ? "'..' path segments are not allowed" : "(%2e)"},
            {bucketRoot + "/absolute", "empty path segment"},
            {base + "/a\u0007b", "control character U+0007"},
            {base + "/" + "k".repeat(5000), "bytes in UTF-8; at most"},
            {scratch.scheme() == Scheme.FILE ? "file://remote/x" : scratch.scheme().uriScheme() + ":///key",
                scratch.scheme() == Scheme.FILE ? "must be absolute and local" : "no "},
        };
        for (Object[] c : uris) {
            assertThatThrownBy(() -> Location.parse((String) c[0])).as((String) c[0])
                    .isInstanceOf(InvalidLocationException.class).hasMessageContaining((String) c[1]);
            // Refused by Location.parse before any store is involved: counted apart from inputs the store sees.
            parsed++;
        }

        // Markers: corrupted, truncated, huge, pointing outside, from the future.
        Object[][] markers = {
            {"corrupted", "\u0000\u0001garbage", Rule.MARKER_CORRUPT},
            {"truncated", manifest("{\"key\":\"a\",\"size\":1}", 1, 1).substring(0, 150), Rule.MARKER_CORRUPT},
            {"outside", manifest("{\"key\":\"../../canary/a\",\"size\":1}", 1, 1), Rule.MARKER_ENTRY_OUTSIDE_CHECKPOINT},
            {"absolute", manifest("{\"key\":\"/etc/passwd\",\"size\":1}", 1, 1), Rule.MARKER_ENTRY_OUTSIDE_CHECKPOINT},
            {"future", manifest("", 0, 0).replace("\"formatVersion\":1", "\"formatVersion\":7"),
                Rule.MARKER_UNSUPPORTED_VERSION},
        };
        for (Object[] c : markers) {
            Location checkpoint = scratch.resolve("hostile-" + c[0]);
            allowed.add(checkpoint);
            fixture.store().write(checkpoint.resolve(MARKER), ((String) c[1]).getBytes(StandardCharsets.UTF_8),
                    PutMode.CREATE);
            for (int deep = 0; deep < 2; deep++) {
                boolean validateDeep = deep == 1;
                assertThatThrownBy(() -> {
                    if (validateDeep) {
                        strategy.validateDeep(checkpoint);
                    } else {
                        strategy.validateFinal(checkpoint);
                    }
                }).as((String) c[0]).isInstanceOf(ValidationError.class).hasMessageContaining(checkpoint.toString())
                        .satisfies(e -> assertThat(((ValidationError) e).rule()).isEqualTo(c[2]));
            }
            tried++;
        }
        Location huge = scratch.resolve("hostile-huge");
        allowed.add(huge);
        fixture.store().write(huge.resolve(MARKER), new ZeroStream(HUNDRED_MIB), HUNDRED_MIB, PutMode.CREATE);
        assertThatThrownBy(() -> strategy.validateFinal(huge)).isInstanceOf(ValidationError.class)
                .hasMessageContaining("MARKER_TOO_LARGE").hasMessageContaining("commit marker is " + HUNDRED_MIB + " bytes");
        tried++;

        // Finalizing a final location that is already committed.
        Location committed = scratch.resolve("committed");
        allowed.add(committed);
        allowed.add(committed.sibling(committed.name() + CommitSettings.DEFAULT_TEMPORARY_SUFFIX));
        TemporaryPath first = strategy.fromFinal(committed);
        first.createBlocking();
        first.staging().write("x", "x".getBytes(StandardCharsets.UTF_8));
        first.commitBlocking();
        Map<String, String> committedState = Checks.snapshot(fixture.store(), committed);
        TemporaryPath again = strategy.fromFinal(committed);
        assertThatThrownBy(again::createBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("already a committed checkpoint");
        assertThatThrownBy(again::commitBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("already a committed checkpoint");
        assertThat(Checks.snapshot(fixture.store(), committed)).isEqualTo(committedState);
        tried++;

        // A temporary location that is a symbolic link (local disks only; object stores have no links).
        if (linkTarget != null) {
            Path elsewhere = linkTarget;
            Location linked = scratch.resolve("linked");
            allowed.add(linked);
            allowed.add(linked.sibling("linked" + CommitSettings.DEFAULT_TEMPORARY_SUFFIX));
            Files.createSymbolicLink(linked.sibling("linked" + CommitSettings.DEFAULT_TEMPORARY_SUFFIX).toPath(), elsewhere);
            TemporaryPath viaLink = strategy.fromFinal(linked);
            assertThatThrownBy(viaLink::createBlocking).isInstanceOf(StoreException.class)
                    .hasMessageContaining("symbolic link");
            assertThat(Files.readString(elsewhere.resolve("keep"))).isEqualTo("keep");
            Files.delete(linked.sibling("linked" + CommitSettings.DEFAULT_TEMPORARY_SUFFIX).toPath());
            tried++;
        }

        assertThat(recording.outside(allowed)).as("calls outside the checkpoints' own prefixes").isEmpty();
        Map<String, String> after = Checks.snapshot(fixture.store(), scratch);
        for (Location checkpoint : allowed) {
            after.keySet().removeIf(k -> k.startsWith(checkpoint.prefix()));
        }
        assertThat(after).as("the rest of the scratch area").isEqualTo(before);
        for (String canary : canaries) {
            assertThat(Checks.read(fixture.store(), scratch.resolve(canary))).as("canary " + canary).isEqualTo(canary);
        }
        EvidenceTable.add(fixture, Column.HOSTILE_INPUTS, tried);
        EvidenceTable.add(fixture, Column.PARSE_CHECKS, parsed);
    }

    /** {@code length} zero bytes, produced on demand so a 100 MiB upload needs no 100 MiB buffer. */
    private static final class ZeroStream extends InputStream {
        private long remaining;

        ZeroStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            return n;
        }
    }
}
