package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.atomicity.ValidationError.Rule;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.CorruptManifestException;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.manifest.ManifestReader;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Store;
import java.util.Iterator;
import java.util.Optional;

/**
 * Reads and checks commit markers. A final location is a checkpoint only if its marker exists and reads
 * back as a valid manifest; every other state (no marker, a torn or hostile marker) is reported as a
 * {@link ValidationError} naming the rule.
 */
public final class CommitMarkers {
    private final Store store;
    private final CommitSettings settings;

    public CommitMarkers(Store store, CommitSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The marker object's information, or empty if the location is not committed. */
    public Optional<ObjectInfo> stat(Location finalLocation) {
        return store.stat(settings.marker(finalLocation));
    }

    /** Work done with an open marker; may throw {@link ValidationError} itself. */
    @FunctionalInterface
    public interface MarkerReading<T> {
        T apply(ManifestReader reader) throws ValidationError;
    }

    /**
     * Opens the marker of {@code finalLocation} and hands the reader to {@code work}; problems with the
     * marker, including those found while {@code work} iterates the entries, become {@link ValidationError}s.
     */
    public <T> T read(Location finalLocation, MarkerReading<T> work) throws ValidationError {
        Location marker = settings.marker(finalLocation);
        ObjectInfo info = store.stat(marker).orElseThrow(() -> new ValidationError(finalLocation, Rule.NO_MARKER,
                "no commit marker " + settings.markerName() + ": not a finalized checkpoint"));
        if (info.size() > settings.maxMarkerBytes()) {
            throw new ValidationError(finalLocation, Rule.MARKER_TOO_LARGE, "commit marker is " + info.size()
                    + " bytes; the limit is " + settings.maxMarkerBytes());
        }
        try (ManifestReader reader = ManifestReader.open(store.read(marker), finalLocation, settings.markerName(),
                settings.maxMarkerBytes())) {
            return work.apply(reader);
        } catch (ObjectNotFoundException e) {
            throw new ValidationError(finalLocation, Rule.NO_MARKER, "commit marker disappeared while being read", e);
        } catch (CorruptManifestException e) {
            throw toValidationError(finalLocation, e);
        }
    }

    /**
     * Reads the whole marker, checking every entry's form (not the objects), and returns its header.
     *
     * @throws ValidationError if the marker is missing, too large or not a valid manifest
     */
    public ManifestHeader validate(Location finalLocation) throws ValidationError {
        return read(finalLocation, reader -> {
            Iterator<?> entries = reader.entries();
            while (entries.hasNext()) {
                entries.next();
            }
            return reader.header();
        });
    }

    /**
     * Validates the whole marker ({@link #validate}) and checks that it is a marker of {@code finalLocation}: a
     * manifest that names another location (a marker copied from elsewhere) is refused with
     * {@link Rule#MARKER_CORRUPT}. Reads the marker once, streaming.
     *
     * @throws ValidationError if the marker is missing, empty, unreadable or another location's
     */
    public ManifestHeader checkHeader(Location finalLocation) throws ValidationError {
        ManifestHeader header = validate(finalLocation);
        if (header.location().isPresent() && !header.location().get().equals(finalLocation.toString())) {
            throw new ValidationError(finalLocation, Rule.MARKER_CORRUPT, "the commit marker belongs to "
                    + header.location().get() + ", not to this location (copied from elsewhere?)");
        }
        return header;
    }

    /** Who committed {@code finalLocation}, for conflict messages; best effort, never throws. */
    public String describeCommitter(Location finalLocation) {
        try {
            return read(finalLocation, reader -> {
                ManifestHeader h = reader.header();
                return "committed by writer " + h.writerId().orElse("(unknown)") + " at "
                        + h.commitTimestamp().map(Object::toString).orElse("(unknown time)");
            });
        } catch (RuntimeException e) {
            return "it has a commit marker (" + e.getMessage() + ")";
        }
    }

    static ValidationError toValidationError(Location location, CorruptManifestException e) {
        Rule rule;
        switch (e.problem()) {
            case TOO_LARGE:
                rule = Rule.MARKER_TOO_LARGE;
                break;
            case UNSUPPORTED_VERSION:
                rule = Rule.MARKER_UNSUPPORTED_VERSION;
                break;
            case ENTRY_OUTSIDE_CHECKPOINT:
                rule = Rule.MARKER_ENTRY_OUTSIDE_CHECKPOINT;
                break;
            default:
                rule = Rule.MARKER_CORRUPT;
        }
        return new ValidationError(location, rule, e.getMessage(), e);
    }
}
