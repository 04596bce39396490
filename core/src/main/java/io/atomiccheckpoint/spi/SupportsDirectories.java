package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.location.Location;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * An opt-in ability for stores with real directories and permission modes (local disks): object stores do not
 * implement it, and the {@link io.atomiccheckpoint.store.Store} facade skips these calls for them.
 */
public interface SupportsDirectories {
    /** Creates {@code location}'s directory and its parents, with {@code permissions} if not null. */
    void createDirectory(Location location, Set<PosixFilePermission> permissions);

    /** Removes {@code location}'s directory and its subdirectories that hold no files, after a prefix was deleted. */
    void pruneEmptyDirectories(Location location);

    /**
     * Deletes the store's own unfinished upload files below {@code location} (files a killed or fenced writer left
     * half written; listings never show them, so deleting by listing never finds them) and returns how many. Callers
     * call it only where no writer still has the right to publish one: after the attempt that owned them was
     * revoked, or after the marker, when every copy still in flight targets a name the marker already covers.
     */
    long removeUploadLeftovers(Location location);
}
