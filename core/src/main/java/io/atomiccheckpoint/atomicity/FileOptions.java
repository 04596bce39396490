package io.atomiccheckpoint.atomicity;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The reference design's {@code FileOptions}: the permission mode for directories the protocol creates on
 * local disks. Object stores have no permission modes and ignore it.
 */
public final class FileOptions {
    private static final FileOptions DEFAULT = new FileOptions(null);

    private final Set<PosixFilePermission> pathPermissions;

    private FileOptions(Set<PosixFilePermission> pathPermissions) {
        this.pathPermissions = pathPermissions == null ? null : Set.copyOf(pathPermissions);
    }

    /** No explicit mode: directories get the process umask's default. */
    public static FileOptions defaults() {
        return DEFAULT;
    }

    /** Directories are created with {@code permissions}. */
    public static FileOptions withPathPermissions(Set<PosixFilePermission> permissions) {
        return new FileOptions(permissions);
    }

    /** Directories are created with the mode written like {@code ls -l}, for example {@code rwxr-x---}. */
    public static FileOptions withPathPermissions(String mode) {
        return new FileOptions(PosixFilePermissions.fromString(mode));
    }

    public Optional<Set<PosixFilePermission>> pathPermissions() {
        return Optional.ofNullable(pathPermissions);
    }

    @Override
    public String toString() {
        return "FileOptions{pathPermissions=" + (pathPermissions == null ? "default"
                : PosixFilePermissions.toString(pathPermissions)) + "}";
    }
}
