package io.atomiccheckpoint.manifest;

import java.time.Instant;
import java.util.Optional;

/**
 * The summary part of a commit marker: who committed what, when, and how much. A header read from a marker
 * written by the reference implementation (Orbax's plain-text {@code commit_success.txt}) has no inventory.
 */
public final class ManifestHeader {
    /** The manifest format version this library writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the {@code format} field, to tell our markers from other JSON. */
    public static final String FORMAT = "atomic-checkpoint-manifest";

    private final int formatVersion;
    private final String strategy;
    private final String writerId;
    private final String commitId;
    private final String location;
    private final Instant initTimestamp;
    private final Instant commitTimestamp;
    private final long objectCount;
    private final long totalBytes;
    private final boolean inventory;

    public ManifestHeader(int formatVersion, String strategy, String writerId, String commitId, String location,
            Instant initTimestamp, Instant commitTimestamp, long objectCount, long totalBytes, boolean inventory) {
        this.formatVersion = formatVersion;
        this.strategy = strategy;
        this.writerId = writerId;
        this.commitId = commitId;
        this.location = location;
        this.initTimestamp = initTimestamp;
        this.commitTimestamp = commitTimestamp;
        this.objectCount = objectCount;
        this.totalBytes = totalBytes;
        this.inventory = inventory;
    }

    /** A header for a marker that carries no manifest (the reference implementation's text marker). */
    static ManifestHeader legacy() {
        return new ManifestHeader(0, "reference-commit-file", null, null, null, null, null, -1, -1, false);
    }

    public int formatVersion() {
        return formatVersion;
    }

    /** The strategy that committed, for example {@code PrefixCopyCommit}. */
    public String strategy() {
        return strategy;
    }

    /** The id of the process that committed; useful to tell a zombie writer from the real one. */
    public Optional<String> writerId() {
        return Optional.ofNullable(writerId);
    }

    /**
     * A random id of the commit attempt that wrote the marker. A writer whose create-only marker write was
     * retried after a lost response finds its own id here and knows it won.
     */
    public Optional<String> commitId() {
        return Optional.ofNullable(commitId);
    }

    /** The final location as the writer named it. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** When the temporary location was created, if known. */
    public Optional<Instant> initTimestamp() {
        return Optional.ofNullable(initTimestamp);
    }

    public Optional<Instant> commitTimestamp() {
        return Optional.ofNullable(commitTimestamp);
    }

    /** Number of entries; -1 when the marker has no inventory. */
    public long objectCount() {
        return objectCount;
    }

    /** Sum of entry sizes; -1 when the marker has no inventory. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Whether the marker lists the committed objects, so deep validation can check them. */
    public boolean hasInventory() {
        return inventory;
    }

    @Override
    public String toString() {
        return "ManifestHeader{strategy=" + strategy + ", writer=" + writerId + ", objects=" + objectCount
                + ", bytes=" + totalBytes + ", committed=" + commitTimestamp + "}";
    }
}
