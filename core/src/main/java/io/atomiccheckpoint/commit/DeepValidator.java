package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestEntry;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.spi.UTF8Order;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks a committed checkpoint against its marker by merging two sorted streams, the marker's entries and
 * the store's listing of the final location, so memory does not depend on the number of objects and every
 * object costs no request beyond its share of a listing page.
 */
final class DeepValidator {
    private final Store store;
    private final CommitSettings settings;
    private final CommitMarkers markers;

    DeepValidator(Store store, CommitSettings settings) {
        this.store = store;
        this.settings = settings;
        this.markers = new CommitMarkers(store, settings);
    }

    DeepValidationReport validate(Location finalLocation) throws ValidationError {
        return markers.read(finalLocation, reader -> {
            if (!reader.header().hasInventory()) {
                return new DeepValidationReport(finalLocation, false, 0, 0, List.of(), 0, List.of(), 0, List.of());
            }
            Tally tally = new Tally();
            String markerKey = settings.marker(finalLocation).key();
            Iterator<ManifestEntry> expected = reader.entries();
            try (Stream<ObjectInfo> listing = store.list(finalLocation, settings.listPageSize())) {
                Iterator<ObjectInfo> actual = listing.filter(o -> !o.key().equals(markerKey)).iterator();
                ManifestEntry e = next(expected);
                ObjectInfo a = next(actual);
                while (e != null || a != null) {
                    String actualKey = a == null ? null : finalLocation.relativeKey(a.key()).orElse(a.key());
                    int order = e == null ? 1 : a == null ? -1 : UTF8Order.compare(e.key(), actualKey);
                    if (order < 0) {
                        tally.missing(e.key());
                        e = next(expected);
                    } else if (order > 0) {
                        tally.unexpected(actualKey);
                        a = next(actual);
                    } else {
                        tally.checked++;
                        ManifestEntry entry = e;
                        entry.mismatch(a).ifPresent(reason -> tally.changed(entry.key() + ": " + reason));
                        e = next(expected);
                        a = next(actual);
                    }
                }
            }
            return new DeepValidationReport(finalLocation, true, tally.checked, tally.missingCount, tally.missing,
                    tally.changedCount, tally.changed, tally.unexpectedCount, tally.unexpected);
        });
    }

    private static <T> T next(Iterator<T> it) {
        return it.hasNext() ? it.next() : null;
    }

    private static final class Tally {
        long checked;
        long missingCount;
        long changedCount;
        long unexpectedCount;
        final List<String> missing = new ArrayList<>();
        final List<String> changed = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();

        void missing(String key) {
            missingCount++;
            checked++;
            sample(missing, key);
        }

        void changed(String what) {
            changedCount++;
            sample(changed, what);
        }

        void unexpected(String key) {
            unexpectedCount++;
            sample(unexpected, key);
        }

        private static void sample(List<String> list, String value) {
            if (list.size() < DeepValidationReport.SAMPLE_LIMIT) {
                list.add(value);
            }
        }
    }
}
