package io.atomiccheckpoint.store;

import java.util.Optional;

/**
 * What part of an object to read and which version it must be.
 *
 * @param offset the first byte to read (0 for the start)
 * @param length how many bytes to read from {@code offset}, or -1 for the rest of the object
 * @param expectedVersion the version the object must have, or null for any; a mismatch is a
 *     {@link PreconditionFailedException} (GCS {@code generation}, S3 and Azure {@code If-Match}, a version check on
 *     the filesystem)
 */
public record GetOptions(long offset, long length, String expectedVersion) {
    private static final GetOptions WHOLE = new GetOptions(0, -1, null);

    public GetOptions {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be at least 0, was " + offset);
        }
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (to the end) or at least 0, was " + length);
        }
        if (expectedVersion != null && expectedVersion.isEmpty()) {
            throw new IllegalArgumentException("an empty expected version; pass null to read any version");
        }
    }

    /** The whole object, whatever its version. */
    public static GetOptions whole() {
        return WHOLE;
    }

    /** The whole object, only if it is {@code version}. */
    public static GetOptions version(String version) {
        return new GetOptions(0, -1, version);
    }

    /** {@code length} bytes from {@code offset}. */
    public static GetOptions range(long offset, long length) {
        return new GetOptions(offset, length, null);
    }

    /** Whether only a part of the object is asked for. */
    public boolean isRange() {
        return offset > 0 || length >= 0;
    }

    /** The expected version, if any. */
    public Optional<String> version() {
        return Optional.ofNullable(expectedVersion);
    }
}
