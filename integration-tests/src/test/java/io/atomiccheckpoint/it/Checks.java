package io.atomiccheckpoint.it;

import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a fresh reader of a checkpoint sees, judged the way the atomicity promise states it. */
final class Checks {
    /** A reader's verdict on a final location. */
    enum ReaderView {
        /** No valid marker: not a checkpoint. */
        ABSENT,
        /** A valid marker whose every listed object is present and unchanged. */
        COMPLETE,
        /** A marker whose objects are missing or changed, or an invalid marker: the promise is broken. */
        TORN
    }

    private Checks() {
    }

    static ReaderView readerView(PrefixCopyCommit strategy, Location finalLocation) {
        try {
            strategy.validateFinal(finalLocation);
        } catch (ValidationError e) {
            return e.rule() == ValidationError.Rule.NO_MARKER ? ReaderView.ABSENT : ReaderView.TORN;
        }
        try {
            DeepValidationReport report = strategy.validateDeep(finalLocation);
            return report.isIntact() ? ReaderView.COMPLETE : ReaderView.TORN;
        } catch (ValidationError e) {
            return ReaderView.TORN;
        }
    }

    static String read(Store store, Location location) {
        try (InputStream in = store.read(location)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ObjectNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's bytes, or null if there is none. */
    static byte[] readBytes(Store store, Location location) {
        try (InputStream in = store.read(location)) {
            return in.readAllBytes();
        } catch (ObjectNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Key to "size/version" of everything below {@code location}, to prove nothing there changed. */
    static Map<String, String> snapshot(Store store, Location location) {
        Map<String, String> state = new TreeMap<>();
        try (Stream<ObjectInfo> listing = store.list(location)) {
            listing.forEach(o -> state.put(o.key(), o.size() + "/" + o.version().orElse("") + "/" + o.checksums()));
        }
        return state;
    }
}
