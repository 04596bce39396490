package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;
import java.util.Objects;

/**
 * One object at one version, as a listing reported it: what a delete pinned to the listed version
 * ({@link Store#deleteBatchIfUnchanged}) names, so that a newer object written under the same name since the
 * listing survives.
 *
 * @param location the object
 * @param version its {@link ObjectInfo#version()} when it was listed
 */
public record ObjectVersion(Location location, String version) {
    public ObjectVersion {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(version, "version");
        if (version.isEmpty()) {
            throw new IllegalArgumentException("a pinned delete needs the listed version, got an empty one");
        }
    }

    /** The listed object {@code info} below {@code anyInBucket}'s bucket, at the version the listing reported. */
    public static ObjectVersion listed(Location anyInBucket, ObjectInfo info) {
        return new ObjectVersion(anyInBucket.sameBucket(info.key()), info.version().orElseThrow(
                () -> new IllegalArgumentException("the listing of " + info.key() + " reported no version")));
    }
}
