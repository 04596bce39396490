package io.atomiccheckpoint.location;

import java.util.Locale;

/** The storage systems a {@link Location} can name; each has its own bucket naming rules. */
public enum Scheme {
    /** A local (or locally mounted) filesystem: {@code file:///abs/path}. */
    FILE("file"),
    /** Google Cloud Storage: {@code gs://bucket/key}. */
    GCS("gs"),
    /** Amazon S3 and S3-compatible stores: {@code s3://bucket/key}. */
    S3("s3"),
    /** Azure Blob Storage: {@code az://container/key} or {@code https://account.blob.core.windows.net/container/key}. */
    AZURE("az"),
    /** The in-memory store, for unit tests without a disk or an emulator: {@code mem://bucket/key}. */
    MEMORY("mem");

    private final String uriScheme;

    Scheme(String uriScheme) {
        this.uriScheme = uriScheme;
    }

    /** The URI scheme as written in locations, for example {@code gs}. */
    public String uriScheme() {
        return uriScheme;
    }

    /** The scheme for a URI scheme string, or {@code null} if none matches. */
    static Scheme fromUriScheme(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (Scheme scheme : values()) {
            if (scheme.uriScheme.equals(lower)) {
                return scheme;
            }
        }
        return null;
    }
}
