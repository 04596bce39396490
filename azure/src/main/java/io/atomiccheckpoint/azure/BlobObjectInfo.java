package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.util.DateTimeRfc1123;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobProperties;
import io.atomiccheckpoint.store.ObjectInfo;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds core's {@link ObjectInfo} from the SDK's blob properties: the ETag (unquoted, as listings give it)
 * is the version, Content-MD5 becomes {@code md5} and a whole-content CRC64, where the service returned one,
 * {@code crc64}.
 */
final class BlobObjectInfo {
    private BlobObjectInfo() {
    }

    static ObjectInfo of(String key, BlobProperties p) {
        return build(key, p.getBlobSize(), p.getETag(), p.getContentMd5(), null, p.getLastModified());
    }

    static ObjectInfo of(String key, BlobItemProperties p) {
        Long size = p.getContentLength();
        return build(key, size == null ? 0 : size, p.getETag(), p.getContentMd5(), null, p.getLastModified());
    }

    /**
     * The target of a finished Copy Blob From URL, from the copy's response headers and the source's listing
     * entry: size and Content-MD5 are the source's (the service copies both), ETag and Last-Modified the new
     * blob's. Empty if the response lacks an ETag (then the caller reads the target back).
     */
    static Optional<ObjectInfo> ofCopy(String key, ObjectInfo source, HttpHeaders response) {
        String etag = response.getValue(HttpHeaderName.ETAG);
        if (etag == null) {
            return Optional.empty();
        }
        Instant lastModified = lastModified(response.getValue(HttpHeaderName.LAST_MODIFIED));
        String md5 = source.checksums().get("md5");
        return Optional.of(new ObjectInfo(key, source.size(), unquote(etag), md5 == null ? Map.of() : Map.of("md5", md5),
                lastModified));
    }

    /** The header's time, or null if absent or malformed: the copy succeeded either way. */
    private static Instant lastModified(String header) {
        if (header == null) {
            return null;
        }
        try {
            return new DateTimeRfc1123(header).getDateTime().toInstant();
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    static ObjectInfo build(String key, long size, String etag, byte[] md5, byte[] crc64, OffsetDateTime modified) {
        Map<String, String> sums = new HashMap<>();
        if (md5 != null && md5.length > 0) {
            sums.put("md5", Base64.getEncoder().encodeToString(md5));
        }
        if (crc64 != null && crc64.length > 0) {
            sums.put("crc64", Base64.getEncoder().encodeToString(crc64));
        }
        Instant lastModified = modified == null ? null : modified.toInstant();
        return new ObjectInfo(key, size, unquote(etag), sums, lastModified);
    }

    static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
