package io.atomiccheckpoint.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a server-side copy may go: whether it may replace the target ({@link PutMode#OVERWRITE} or
 * {@link PutMode#CREATE}; updates are not offered for copies), and the source version it must read.
 *
 * <p>With a source version the copy is <em>pinned</em>: the service refuses it with a
 * {@link PreconditionFailedException} naming the source if the source is no longer that version
 * ({@code ifSourceGenerationMatch} on GCS, {@code x-amz-copy-source-if-match} on S3, a source {@code If-Match}
 * on Azure's Copy Blob From URL, a version check after the read on the filesystem). The commit pins every copy
 * to the version it listed, so an object replaced after the listing is never committed unnoticed.
 *
 * @param destination {@link PutMode#OVERWRITE} or {@link PutMode#CREATE}
 * @param sourceVersion the version the source must have, or null to copy whatever is there
 * @param sourceSize the source's size if known from a listing (-1 if not); stores use it only to choose a copy
 *     method (S3 multipart copies, Azure asynchronous copies), never to describe the result. It is trustworthy
 *     when the copy is pinned, since the size belongs to that version.
 */
public record CopyOptions(PutMode destination, String sourceVersion, long sourceSize) {
    public CopyOptions {
        Objects.requireNonNull(destination, "destination");
        if (destination instanceof PutMode.Update) {
            throw new IllegalArgumentException("a copy's destination mode is OVERWRITE or CREATE, not " + destination);
        }
        if (sourceVersion != null && sourceVersion.isEmpty()) {
            throw new IllegalArgumentException("an empty source version; pass null to leave the copy unpinned");
        }
        if (sourceSize < -1) {
            throw new IllegalArgumentException("source size must be -1 (unknown) or at least 0, was " + sourceSize);
        }
    }

    /** An unpinned copy with the given destination mode. */
    public static CopyOptions of(PutMode destination) {
        return new CopyOptions(destination, null, -1);
    }

    /**
     * A copy pinned to {@code listed}: its version must still be the source's, and its size picks the copy
     * method. A listed object without a version cannot be pinned.
     */
    public static CopyOptions pinnedTo(ObjectInfo listed, PutMode destination) {
        String version = listed.version().orElseThrow(() -> new IllegalArgumentException(
                "cannot pin a copy to " + listed.key() + ": the listing gave no version"));
        return new CopyOptions(destination, version, listed.size());
    }

    /** The expected source version, if the copy is pinned. */
    public Optional<String> expectedSourceVersion() {
        return Optional.ofNullable(sourceVersion);
    }

    /** The size hint, if one was given. */
    public OptionalLong sourceSizeHint() {
        return sourceSize < 0 ? OptionalLong.empty() : OptionalLong.of(sourceSize);
    }
}
