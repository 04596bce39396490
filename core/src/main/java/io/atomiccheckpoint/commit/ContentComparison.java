package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Decides whether two stored objects hold the same bytes: by size and shared checksums when the store
 * reports them, otherwise by streaming both and comparing. Used when a retried commit finds an object
 * already at its target, to tell an earlier attempt's copy from someone else's data.
 */
final class ContentComparison {
    private ContentComparison() {
    }

    static boolean same(Store store, Location a, ObjectInfo infoA, Location b, ObjectInfo infoB) {
        return infoA.sameContentAs(infoB).orElseGet(() -> sameBytes(store, a, b));
    }

    private static boolean sameBytes(Store store, Location a, Location b) {
        try (InputStream x = new BufferedInputStream(store.read(a)); InputStream y = new BufferedInputStream(store.read(b))) {
            int cx;
            do {
                cx = x.read();
                if (cx != y.read()) {
                    return false;
                }
            } while (cx >= 0);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + a + " with " + b, e);
        }
    }
}
