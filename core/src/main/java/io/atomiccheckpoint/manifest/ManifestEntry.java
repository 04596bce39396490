package io.atomiccheckpoint.manifest;

import io.atomiccheckpoint.store.ObjectInfo;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** One committed object in a manifest: its key relative to the checkpoint, size, version and checksums. */
public final class ManifestEntry {
    private final String key;
    private final long size;
    private final String version;
    private final Map<String, String> checksums;

    public ManifestEntry(String key, long size, String version, Map<String, String> checksums) {
        this.key = Objects.requireNonNull(key, "key");
        this.size = size;
        this.version = version;
        this.checksums = checksums == null || checksums.isEmpty()
                ? Collections.emptyMap()
                : Collections.unmodifiableMap(new TreeMap<>(checksums));
    }

    /** The entry for a stored object whose key, relative to the checkpoint, is {@code relativeKey}. */
    public static ManifestEntry of(String relativeKey, ObjectInfo info) {
        return new ManifestEntry(relativeKey, info.size(), info.version().orElse(null), info.checksums());
    }

    /** The key relative to the checkpoint location, {@code /}-separated. */
    public String key() {
        return key;
    }

    public long size() {
        return size;
    }

    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    public Map<String, String> checksums() {
        return checksums;
    }

    /**
     * Why {@code actual} does not match this entry, or empty if it does: sizes must be equal, and the version
     * and every checksum present on both sides must be equal.
     */
    public Optional<String> mismatch(ObjectInfo actual) {
        if (actual.size() != size) {
            return Optional.of("size " + actual.size() + " != " + size);
        }
        if (version != null && actual.version().isPresent() && !actual.version().get().equals(version)) {
            return Optional.of("version " + actual.version().get() + " != " + version);
        }
        for (Map.Entry<String, String> e : checksums.entrySet()) {
            String theirs = actual.checksums().get(e.getKey());
            if (theirs != null && !theirs.equals(e.getValue())) {
                return Optional.of(e.getKey() + " " + theirs + " != " + e.getValue());
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ManifestEntry)) {
            return false;
        }
        ManifestEntry other = (ManifestEntry) o;
        return key.equals(other.key) && size == other.size && Objects.equals(version, other.version)
                && checksums.equals(other.checksums);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, size, version, checksums);
    }

    @Override
    public String toString() {
        return key + " (" + size + " bytes, version " + version + ", " + checksums + ")";
    }
}
