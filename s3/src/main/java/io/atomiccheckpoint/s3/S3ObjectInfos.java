package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.StoreException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Builds core's {@link ObjectInfo} from S3 responses. The version token is the ETag without its quotes (the
 * same text in listings, HEAD, PUT, copy and multipart responses, so deep validation can compare them), and
 * {@link #etagHeader} turns it back into the quoted form the conditional headers take. The checksums are the
 * additional checksums S3 returns, and only full-object ones: a multipart object's composite checksum
 * ({@code value-N}) is a checksum of part checksums, and comparing it with a full-object checksum of the same
 * algorithm would call equal bytes different.
 */
final class S3ObjectInfos {
    private S3ObjectInfos() {
    }

    static ObjectInfo of(S3Object object) {
        // Listings carry no checksum values, only which algorithms exist.
        return new ObjectInfo(object.key(), object.size() == null ? 0 : object.size(), etag(object.eTag()), null,
                object.lastModified());
    }

    static ObjectInfo of(String key, HeadObjectResponse head) {
        return new ObjectInfo(key, head.contentLength() == null ? 0 : head.contentLength(), etag(head.eTag()),
                checksums(head.checksumType(), head.checksumCRC32(), head.checksumCRC32C(), head.checksumCRC64NVME(),
                        head.checksumSHA1(), head.checksumSHA256()),
                head.lastModified());
    }

    static ObjectInfo of(String key, long size, String eTag, Map<String, String> checksums, Instant lastModified) {
        return new ObjectInfo(key, size, etag(eTag), checksums, lastModified);
    }

    /** The ETag without surrounding quotes, or null. */
    static String etag(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.isEmpty() ? null : s;
    }

    /**
     * A version ({@link ObjectInfo#version()}, an ETag without quotes) as the value of {@code If-Match} or
     * {@code x-amz-copy-source-if-match}. Refuses text that no S3 ETag has (quotes, controls, non-ASCII), so
     * nothing else can reach a header.
     */
    static String etagHeader(String version, String operation, Location location) {
        String v = etag(version);
        boolean ok = v != null;
        for (int i = 0; ok && i < v.length(); i++) {
            char c = v.charAt(i);
            ok = c > 0x20 && c < 0x7f && c != '"';
        }
        if (!ok) {
            throw new StoreException(ErrorKind.INVALID_INPUT, operation, location, "version " + version
                    + " is not an S3 ETag");
        }
        return "\"" + v + "\"";
    }

    /** The full-object checksums among those given, by core's lowercase names. */
    static Map<String, String> checksums(ChecksumType type, String crc32, String crc32c, String crc64nvme, String sha1,
            String sha256) {
        Map<String, String> out = new TreeMap<>();
        if (type == ChecksumType.COMPOSITE) {
            return out;
        }
        put(out, "crc32", crc32);
        put(out, "crc32c", crc32c);
        put(out, "crc64nvme", crc64nvme);
        put(out, "sha1", sha1);
        put(out, "sha256", sha256);
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        // Some servers omit the checksum type; a composite value still betrays itself by its "-<parts>" suffix.
        if (value != null && !value.isEmpty() && value.indexOf('-') < 0) {
            out.put(name, value);
        }
    }
}
