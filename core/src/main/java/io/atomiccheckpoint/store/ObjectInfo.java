package io.atomiccheckpoint.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a store knows about one object: its full key in the bucket, its size, an opaque version token that
 * changes whenever the object is replaced (GCS generation, S3 ETag or version id, Azure ETag, a local file's
 * inode and modification time) and the content checksums the store computed.
 *
 * <p>Checksum names are lowercase algorithm names: {@code crc32c}, {@code md5}, {@code crc32},
 * {@code crc64nvme}, {@code crc64}, {@code sha256}; values are the base64 text the store returns.
 */
public final class ObjectInfo {
    private final String key;
    private final long size;
    private final String version;
    private final Map<String, String> checksums;
    private final Instant lastModified;

    public ObjectInfo(String key, long size, String version, Map<String, String> checksums, Instant lastModified) {
        this.key = Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + key);
        }
        this.size = size;
        this.version = version;
        this.checksums = checksums == null || checksums.isEmpty()
                ? Collections.emptyMap()
                : Collections.unmodifiableMap(new TreeMap<>(checksums));
        this.lastModified = lastModified;
    }

    /** The full key within the bucket (not relative to any prefix). */
    public String key() {
        return key;
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** The store's version token, if it has one. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** Checksums by algorithm name; empty if the store computes none. */
    public Map<String, String> checksums() {
        return checksums;
    }

    /** Last modification time, if the store reports it. */
    public Optional<Instant> lastModified() {
        return Optional.ofNullable(lastModified);
    }

    /** The same object information under another key (for example the target of a copy). */
    public ObjectInfo withKey(String newKey) {
        return new ObjectInfo(newKey, size, version, checksums, lastModified);
    }

    /**
     * Whether both objects certainly hold the same bytes, judged by size and the checksums both sides have.
     * Empty when no checksum is shared, so the caller must compare content another way.
     */
    public Optional<Boolean> sameContentAs(ObjectInfo other) {
        if (size != other.size) {
            return Optional.of(false);
        }
        boolean compared = false;
        for (Map.Entry<String, String> e : checksums.entrySet()) {
            String theirs = other.checksums.get(e.getKey());
            if (theirs != null) {
                if (!theirs.equals(e.getValue())) {
                    return Optional.of(false);
                }
                compared = true;
            }
        }
        return compared ? Optional.of(true) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ObjectInfo)) {
            return false;
        }
        ObjectInfo other = (ObjectInfo) o;
        return key.equals(other.key) && size == other.size && Objects.equals(version, other.version)
                && checksums.equals(other.checksums) && Objects.equals(lastModified, other.lastModified);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, size, version, checksums);
    }

    @Override
    public String toString() {
        return "ObjectInfo{" + key + ", " + size + " bytes, version=" + version + ", checksums=" + checksums + "}";
    }
}
