package io.atomiccheckpoint.spark;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import java.net.URI;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Which Hadoop paths the Spark plug-in serves, and the {@link Location} each names.
 *
 * <p>The object stores get schemes of their own, {@code acgs://bucket/key}, {@code acs3://bucket/key} and
 * {@code acaz://container/key}, so that a Spark job can keep reading and writing its data through the Hadoop
 * connector it already has for {@code gs://}, {@code s3a://} or {@code abfs://} while its checkpoint goes through
 * this library; {@link StoreFileSystem} registers them with Hadoop. Local checkpoints stay {@code file://}: Hadoop's
 * own local filesystem resolves them and the plug-in writes them through the library's filesystem store. The plain
 * {@code gs://}, {@code s3://} and {@code az://} schemes are accepted too, for a job that maps them onto a Hadoop
 * filesystem itself.
 */
final class CheckpointPaths {
    /** Hadoop scheme to the library's scheme. */
    private static final Map<String, String> SCHEMES = Map.of(
            "acgs", "gs", "acs3", "s3", "acaz", "az", "gs", "gs", "s3", "s3", "az", "az");

    private CheckpointPaths() {
    }

    /**
     * The location {@code path} names; a path without a scheme is local, as Hadoop's default filesystem is.
     *
     * @throws IllegalArgumentException naming the path and the schemes served
     */
    static Location toLocation(Path path) {
        URI uri = path.toUri();
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        try {
            if (scheme.equals("file")) {
                return Location.of(Paths.get(uri.getPath()));
            }
            String target = SCHEMES.get(scheme);
            if (target == null) {
                throw new IllegalArgumentException("the atomic-checkpoint Spark plug-in does not serve "
                        + Messages.quote(path) + ": its schemes are file, acgs, acs3 and acaz (and gs, s3, az)");
            }
            if (uri.getAuthority() == null || uri.getAuthority().isEmpty()) {
                throw new IllegalArgumentException("no bucket in " + Messages.quote(path)
                        + ": expected " + scheme + "://<bucket>/<key>");
            }
            String key = uri.getPath() == null ? "" : uri.getPath();
            return Location.parse(target + "://" + uri.getAuthority() + key);
        } catch (InvalidLocationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
