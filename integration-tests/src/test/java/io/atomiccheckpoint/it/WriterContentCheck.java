package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.it.Checks.ReaderView;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Judges a final location by deterministic per-writer content, for the tests that stop, hold and kill writers:
 * writer {@code w}'s objects are {@code w/part-<i>}, each holding its name and the final location, so the
 * bytes alone say whose object it is and where it belongs. A stand-in for an independent checker: it lists
 * and reads the store itself and asks every reader helper, so it can be swapped for one without touching the
 * tests' logic.
 */
final class WriterContentCheck {
    private WriterContentCheck() {
    }

    /** What was judged: the readers' view and, for a checkpoint, whose content it holds. */
    record Verdict(ReaderView view, String writer) {
        boolean committed() {
            return view == ReaderView.COMPLETE;
        }
    }

    static String name(String writer, int index) {
        return writer + "/part-" + index;
    }

    static byte[] bytes(String name, Location finalLocation) {
        return (name + " of " + finalLocation).getBytes(StandardCharsets.UTF_8);
    }

    /** Stages objects {@code from} (inclusive) to {@code upTo} (exclusive) of {@code writer}. */
    static void stage(TemporaryPath path, String writer, int from, int upTo) {
        for (int i = from; i < upTo; i++) {
            String name = name(writer, i);
            path.staging().write(name, bytes(name, path.getFinal()));
        }
    }

    static Map<String, String> expected(String writer, int count, Location finalLocation) {
        Map<String, String> content = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = name(writer, i);
            content.put(name, new String(bytes(name, finalLocation), StandardCharsets.UTF_8));
        }
        return content;
    }

    /** Every object below the final location except the marker: relative name to bytes. */
    static Map<String, String> actual(Store store, Location finalLocation, CommitSettings settings) {
        Map<String, String> content = new TreeMap<>();
        try (Stream<ObjectInfo> listing = store.list(finalLocation)) {
            listing.forEach(o -> {
                String name = finalLocation.relativeKey(o.key()).orElseThrow();
                if (!name.equals(settings.markerName())) {
                    content.put(name, Checks.read(store, finalLocation.sameBucket(o.key())));
                }
            });
        }
        return content;
    }

    /**
     * Judges {@code finalLocation}, the only checkpoint its parent may hold, and asserts what holds in every
     * state: never torn; {@code validateFinal}, deep validation, {@code committed()} and {@code latest()} agree;
     * a checkpoint holds exactly one writer's objects ({@code writers}: writer to object count) with their bytes
     * and nothing else. Adds the torn and lost counts to {@code storeName}'s row.
     */
    static Verdict judge(String storeName, PrefixCopyCommit strategy, Store store, CommitSettings settings,
            Location finalLocation, Map<String, Map<String, String>> writers, String where) {
        ReaderView view = Checks.readerView(strategy, finalLocation);
        // Counted whether or not torn, so a 0 in the table is a measurement.
        EvidenceTable.add(storeName, Column.TORN_SEEN, view == ReaderView.TORN ? 1 : 0);
        assertThat(view).as(where).isNotEqualTo(ReaderView.TORN);
        CheckpointDirectory directory = new CheckpointDirectory(store, finalLocation.parent().orElseThrow(), settings,
                Clock.systemUTC());
        boolean listed;
        try (Stream<CommittedCheckpoint> committed = directory.committed()) {
            listed = committed.anyMatch(c -> c.location().equals(finalLocation));
        }
        Optional<Location> latest = directory.latest().map(CommittedCheckpoint::location);
        boolean complete = view == ReaderView.COMPLETE;
        assertThat(listed).as(where + ": committed() agrees with deep validation").isEqualTo(complete);
        assertThat(latest).as(where + ": latest() agrees with deep validation")
                .isEqualTo(complete ? Optional.of(finalLocation) : Optional.empty());
        if (!complete) {
            return new Verdict(view, null);
        }
        Map<String, String> content = actual(store, finalLocation, settings);
        String owner = null;
        for (Map.Entry<String, Map<String, String>> writer : writers.entrySet()) {
            if (content.equals(writer.getValue())) {
                owner = writer.getKey();
            }
        }
        long lost = 0;
        if (owner == null) {
            // Count what the closest writer (the one with most of its objects present) is missing or has changed.
            lost = writers.values().stream().mapToLong(w -> w.entrySet().stream()
                    .filter(e -> !e.getValue().equals(content.get(e.getKey()))).count()).min().orElse(0);
        }
        EvidenceTable.add(storeName, Column.OBJECTS_LOST, lost);
        assertThat(owner).as(where + ": exactly one writer's objects with their bytes, nothing else: "
                + Messages.quote(content.keySet())).isNotNull();
        return new Verdict(view, owner);
    }
}
