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
}
