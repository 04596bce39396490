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

/**
 * Builds core's {@link ObjectInfo} from what the service returned: blob properties (Get Blob Properties, Get
 * Blob), listing entries, or the headers of a write or copy response. The ETag (unquoted, as listings give it)
 * is the version; the blob's Content-MD5 becomes {@code md5} and a whole-content CRC64 {@code crc64}. Nothing
 * here takes a value from the request, so a result can disagree with what the caller expected.
 */
final class BlobObjectInfo {
    static final HttpHeaderName CRC64 = HttpHeaderName.fromString("x-ms-content-crc64");

    private BlobObjectInfo() {
    }

    /** From Get Blob Properties (or the properties of a download). */
    static ObjectInfo of(String key, BlobProperties p) {
        return build(key, p.getBlobSize(), p.getETag(), sums(p.getContentMd5(), null), p.getLastModified());
    }

    /** From a List Blobs entry. */
    static ObjectInfo of(String key, BlobItemProperties p) {
        Long size = p.getContentLength();
        return build(key, size == null ? 0 : size, p.getETag(), sums(p.getContentMd5(), null), p.getLastModified());
    }

    /**
     * From the headers of a response that created the blob: its ETag and Last-Modified, and the checksum
     * headers the service computed, if {@code checksumsDescribeContent} (a Put Blob's or a copy's headers do; a
     * Put Block List's Content-MD5 is that of the block list, not of the blob). {@code size} is what the caller
     * knows from the request the service accepted or from a condition it enforced.
     */
    static ObjectInfo ofResponse(String key, long size, HttpHeaders headers, boolean checksumsDescribeContent) {
        String etag = headers.getValue(HttpHeaderName.ETAG);
        if (etag == null) {
            throw new IllegalStateException("the service's answer has no ETag");
        }
        Map<String, String> checksums = new HashMap<>();
        if (checksumsDescribeContent) {
            String md5 = headers.getValue(HttpHeaderName.CONTENT_MD5);
            if (md5 != null && !md5.isEmpty()) {
                checksums.put("md5", md5);
            }
            String crc64 = headers.getValue(CRC64);
            if (crc64 != null && !crc64.isEmpty()) {
                checksums.put("crc64", crc64);
            }
        }
        return new ObjectInfo(key, size, unquote(etag), checksums, lastModified(headers.getValue(
                HttpHeaderName.LAST_MODIFIED)));
    }

    /** The header's time, or null if absent or malformed: the request succeeded either way. */
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

    private static Map<String, String> sums(byte[] md5, byte[] crc64) {
        Map<String, String> sums = new HashMap<>();
        if (md5 != null && md5.length > 0) {
            sums.put("md5", Base64.getEncoder().encodeToString(md5));
        }
        if (crc64 != null && crc64.length > 0) {
            sums.put("crc64", Base64.getEncoder().encodeToString(crc64));
        }
        return sums;
    }

    private static ObjectInfo build(String key, long size, String etag, Map<String, String> sums,
            OffsetDateTime modified) {
        return new ObjectInfo(key, size, unquote(etag), sums, modified == null ? null : modified.toInstant());
    }

    /** The ETag without quotes: the SDK usually removes them, listings never have them. */
    static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }

    /** The version as an entity tag for If-Match headers: quoted, as HTTP writes entity tags. */
    static String quote(String version) {
        return "\"" + unquote(version) + "\"";
    }
}
