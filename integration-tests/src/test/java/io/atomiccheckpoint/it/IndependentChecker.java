package io.atomiccheckpoint.it;

import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.it.EvidenceTable.Column;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Judges what a reader of a final location sees without using the library's validators: it knows what each
 * writer staged ({@link Staged}: names and deterministic bytes), lists the final location, reads every object
 * and compares bytes. A marker present means "the writer claims a checkpoint"; the checkpoint is complete only if
 * the objects beside the marker are exactly one writer's staged set, byte for byte. Then
 * {@link #judgeWithLibrary} checks the library's own readers against that verdict: {@code validateFinal},
 * {@code validateDeep} and {@link CheckpointDirectory} may never call a torn state complete.
 *
 * <p>The checker reads the marker's presence only, never its content: a manifest that leaves out a staged object
 * (which deep validation would accept) is torn here, because the object a writer staged is not there.
 */
final class IndependentChecker {
    private final Store store;
    private final CommitSettings settings;

    /** A checker reading through {@code store}; {@code settings} name the marker and temporary suffix only. */
    IndependentChecker(Store store, CommitSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** What one writer staged for one checkpoint: relative names and the bytes each must hold. */
    record Staged(String writer, List<String> names, Function<String, byte[]> content) {
        Staged {
            names = List.copyOf(names);
        }

        /**
         * {@code count} objects named {@code <writer>/part-<i>} whose bytes derive from the writer, the final
         * location and the name: between 1 and 300 pseudo-random bytes, so that another writer's or another
         * step's object differs in size or bytes.
         */
        static Staged seeded(String writer, Location finalLocation, int count) {
            List<String> names = IntStream.range(0, count).mapToObj(i -> writer + "/part-" + i)
                    .collect(Collectors.toList());
            return new Staged(writer, names, name -> seededBytes(writer + "|" + finalLocation + "|" + name));
        }

        /** Writes every staged object through {@code staging}. */
        void stageInto(StagingArea staging) {
            stageInto(staging, names.size());
        }

        /** Writes the first {@code upTo} staged objects through {@code staging}. */
        void stageInto(StagingArea staging, int upTo) {
            for (String name : names.subList(0, upTo)) {
                staging.write(name, content.apply(name));
            }
        }

        private static byte[] seededBytes(String seed) {
            SplittableRandom random = new SplittableRandom(Arrays.hashCode(seed.getBytes(StandardCharsets.UTF_8)));
            byte[] bytes = new byte[1 + random.nextInt(300)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            return bytes;
        }
    }

    /** The checker's verdict on a final location. */
    sealed interface Verdict permits Absent, Complete, Torn {
    }

    /** No marker: not a checkpoint, whatever objects lie there (a reader ignores them). */
    record Absent(long objectsWithoutMarker) implements Verdict {
    }

    /** A marker beside exactly {@code writer}'s staged objects, each with its bytes, and nothing else. */
    record Complete(String writer) implements Verdict {
    }

    /**
     * A marker beside anything else: measured against the writer whose objects match best, {@code missing}
     * staged objects are absent, {@code wrongBytes} hold other bytes, {@code extra} objects were not staged by it.
     */
    record Torn(String closestWriter, long missing, long wrongBytes, long extra, List<String> sample)
            implements Verdict {
    }

    /**
     * The checker's verdict; {@code lost}, the staged objects a reader does not get from the writer the verdict
     * is about (0 when complete or absent); {@code readablePerWriter}, per writer, how many of its staged objects
     * a reader would get with their bytes if the marker were there; and what the library's readers said.
     */
    record Judgement(Location finalLocation, Verdict verdict, long lost, Map<String, Staged> writers,
            Map<String, Long> readablePerWriter, LibraryView library) {
        boolean torn() {
            return verdict instanceof Torn;
        }

        boolean complete() {
            return verdict instanceof Complete;
        }

        boolean absent() {
            return verdict instanceof Absent;
        }

        boolean completeOf(String writer) {
            return verdict instanceof Complete c && c.writer().equals(writer);
        }

        /**
         * The staged objects of {@code writer}, which was told it committed, that a reader does not get: all of
         * them when there is no marker, none when it is {@code writer}'s complete checkpoint.
         */
        long lostOf(String writer) {
            return writers.get(writer).names().size() - (absent() ? 0 : readablePerWriter.get(writer));
        }

        /**
         * True if the library's deep validation called complete a state the checker found torn: the forbidden
         * disagreement. (The marker-only readers, {@code validateFinal} and {@link CheckpointDirectory}, cannot
         * see a tear by design.)
         */
        boolean libraryCallsTornComplete() {
            return torn() && library != null && library.deepComplete();
        }

        /**
         * True if the library's readers agree with the checker: all of them call a complete checkpoint complete,
         * none sees a checkpoint where there is no marker, and deep validation does not call a torn one complete
         * ({@code validateFinal} and {@link CheckpointDirectory} read the marker only, so they cannot see tears).
         */
        boolean libraryAgrees() {
            if (library == null) {
                return true;
            }
            if (complete()) {
                return library.allComplete();
            }
            return absent() ? !library.validateFinal() && !library.listedByDirectory() : !library.deepComplete();
        }

        /** Adds this judgement to the evidence table: one state judged, 0 or 1 torn, the objects lost. */
        Judgement record(StoreFixture row) {
            return record(row, lost);
        }

        /** As {@link #record(StoreFixture)}, counting as lost what {@code committedWriter} staged and a reader misses. */
        Judgement record(StoreFixture row, String committedWriter) {
            return record(row, Math.max(lost, lostOf(committedWriter)));
        }

        private Judgement record(StoreFixture row, long lostObjects) {
            EvidenceTable.add(row, Column.STATES_JUDGED, 1);
            EvidenceTable.add(row, Column.TORN_SEEN, torn() ? 1 : 0);
            EvidenceTable.add(row, Column.OBJECTS_LOST, lostObjects);
            return this;
        }

        Judgement withLibrary(LibraryView view) {
            return new Judgement(finalLocation, verdict, lost, writers, readablePerWriter, view);
        }

        @Override
        public String toString() {
            return finalLocation + ": " + verdict + ", lost " + lost + (library == null ? "" : ", library " + library);
        }
    }

    /**
     * What the library's readers said: {@code validateFinal} passed, {@code validateDeep} found it intact, and
     * {@link CheckpointDirectory#committed()} under the given root lists it.
     */
    record LibraryView(boolean validateFinal, boolean deepIntact, boolean listedByDirectory) {
        /** Deep validation, the library's strongest reader, calls it complete. */
        boolean deepComplete() {
            return validateFinal && deepIntact;
        }

        boolean allComplete() {
            return validateFinal && deepIntact && listedByDirectory;
        }
    }

    /** Judges {@code finalLocation} by its objects' bytes against the writers that may have staged there. */
    Judgement judge(Location finalLocation, List<Staged> writers) {
        Map<String, Staged> byWriter = new LinkedHashMap<>();
        writers.forEach(w -> byWriter.put(w.writer(), w));
        Map<String, long[]> counts = new LinkedHashMap<>(); // writer -> {matched, wrong, extra}
        byWriter.keySet().forEach(w -> counts.put(w, new long[3]));
        List<String> sample = new ArrayList<>();
        boolean marker = false;
        long objects = 0;
        // Names seen are kept per judged location only; the listing itself is streamed page by page.
        Set<String> seen = new HashSet<>();
        try (Stream<ObjectInfo> listing = store.list(finalLocation)) {
            for (ObjectInfo info : (Iterable<ObjectInfo>) listing::iterator) {
                String name = finalLocation.relativeKey(info.key()).orElseThrow();
                if (name.equals(settings.markerName())) {
                    marker = true;
                    continue;
                }
                objects++;
                seen.add(name);
                byte[] bytes = Checks.readBytes(store, finalLocation.sameBucket(info.key()));
                for (Staged w : byWriter.values()) {
                    long[] c = counts.get(w.writer());
                    if (!w.names().contains(name)) {
                        c[2]++;
                        note(sample, "extra " + name + " for " + w.writer());
                    } else if (bytes != null && Arrays.equals(bytes, w.content().apply(name))) {
                        c[0]++;
                    } else {
                        c[1]++;
                        note(sample, "wrong bytes " + name + " for " + w.writer());
                    }
                }
            }
        }
        Map<String, Long> readable = new LinkedHashMap<>();
        counts.forEach((w, c) -> readable.put(w, c[0]));
        if (!marker) {
            return new Judgement(finalLocation, new Absent(objects), 0, byWriter, readable, null);
        }
        String closest = null;
        for (Staged w : byWriter.values()) {
            long[] c = counts.get(w.writer());
            if (c[0] == w.names().size() && c[1] == 0 && c[2] == 0) {
                return new Judgement(finalLocation, new Complete(w.writer()), 0, byWriter, readable, null);
            }
            if (closest == null || c[0] > counts.get(closest)[0]) {
                closest = w.writer();
            }
        }
        if (closest == null) {
            return new Judgement(finalLocation, new Torn("(no writer known)", 0, 0, objects, sample), 0, byWriter,
                    readable, null);
        }
        Staged w = byWriter.get(closest);
        long[] c = counts.get(closest);
        for (String name : w.names()) {
            if (!seen.contains(name)) {
                note(sample, "missing " + name + " of " + closest);
            }
        }
        long missing = w.names().size() - c[0] - c[1];
        return new Judgement(finalLocation, new Torn(closest, missing, c[1], c[2], List.copyOf(sample)), missing + c[1],
                byWriter, readable, null);
    }

    /**
     * {@link #judge}, then asks the library's readers: {@code strategy}'s {@code validateFinal} and
     * {@code validateDeep}, and a {@link CheckpointDirectory} on {@code root} (keep root small: it lists every
     * checkpoint below it).
     */
    Judgement judgeWithLibrary(TemporaryPathFactory strategy, Location root, Location finalLocation,
            List<Staged> writers) {
        Judgement judged = judge(finalLocation, writers);
        boolean valid;
        boolean intact = false;
        try {
            strategy.validateFinal(finalLocation);
            valid = true;
            DeepValidationReport report = strategy.validateDeep(finalLocation);
            intact = report.isIntact();
        } catch (ValidationError e) {
            valid = false;
        }
        boolean listed;
        try (Stream<CommittedCheckpoint> committed = new CheckpointDirectory(store, root, settings,
                Clock.systemUTC()).committed().filter(c -> c.location().equals(finalLocation))) {
            listed = committed.findAny().isPresent();
        }
        return judged.withLibrary(new LibraryView(valid, intact, listed));
    }

    private static void note(List<String> sample, String what) {
        // Quoted in assertion messages, so capped.
        if (sample.size() < 10) {
            sample.add(what);
        }
    }
}
