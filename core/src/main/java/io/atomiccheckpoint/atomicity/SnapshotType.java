package io.atomiccheckpoint.atomicity;

/**
 * The reference design's {@code snapshot_type} option: whether the commit should also take a storage-level
 * snapshot. Each strategy lists the types it supports; asking for another fails with
 * {@link ValidationError.Rule#UNSUPPORTED_OPTION} before anything is written.
 */
public enum SnapshotType {
    /** No snapshot: the commit itself is the only durable point. Every strategy supports it. */
    NONE,
    /**
     * A filesystem snapshot (for example ZFS or Btrfs) taken at commit. No strategy in this library takes
     * one yet; the value exists so that asking for it fails clearly instead of being ignored.
     */
    FILESYSTEM_SNAPSHOT
}
