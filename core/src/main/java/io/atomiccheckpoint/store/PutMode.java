package io.atomiccheckpoint.store;

import java.util.Objects;

/**
 * Whether a write may replace an existing object, as the service enforces it in the same request (never as a
 * check before the request):
 *
 * <table>
 *   <caption>How each store enforces the modes</caption>
 *   <tr><th>mode</th><th>GCS</th><th>S3</th><th>Azure</th><th>filesystem</th></tr>
 *   <tr><td>{@link #OVERWRITE}</td><td>none</td><td>none</td><td>none</td><td>rename over</td></tr>
 *   <tr><td>{@link #CREATE}</td><td>{@code ifGenerationMatch=0}</td><td>{@code If-None-Match: *}</td>
 *       <td>{@code If-None-Match: *}</td><td>hard link (fails if the name exists)</td></tr>
 *   <tr><td>{@link #update}</td><td>{@code ifGenerationMatch=<generation>}</td><td>{@code If-Match: <etag>}</td>
 *       <td>{@code If-Match: <etag>}</td><td>compare, then rename, under a per-store lock</td></tr>
 * </table>
 *
 * <p>A refused condition is a {@link PreconditionFailedException}.
 */
public sealed interface PutMode permits PutMode.Overwrite, PutMode.Create, PutMode.Update {
    /** Replace whatever is there. */
    PutMode OVERWRITE = new Overwrite();
    /** Succeed only if no object exists at the target. */
    PutMode CREATE = new Create();

    /** Succeed only if the object at the target is now exactly {@code version} (an {@link ObjectInfo#version()}). */
    static PutMode update(String version) {
        return new Update(version);
    }

    /** See {@link #OVERWRITE}. */
    record Overwrite() implements PutMode {
        @Override
        public String toString() {
            return "OVERWRITE";
        }
    }

    /** See {@link #CREATE}. */
    record Create() implements PutMode {
        @Override
        public String toString() {
            return "CREATE";
        }
    }

    /** See {@link PutMode#update(String)}. */
    record Update(String version) implements PutMode {
        public Update {
            Objects.requireNonNull(version, "version");
            if (version.isEmpty()) {
                throw new IllegalArgumentException("an update needs the expected version, got an empty one");
            }
        }

        @Override
        public String toString() {
            return "UPDATE(" + version + ")";
        }
    }
}
