package io.atomiccheckpoint.gcs;

import com.google.cloud.storage.BlobInfo;
import io.atomiccheckpoint.store.ObjectInfo;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/** Maps GCS object metadata onto core's {@link ObjectInfo}: the generation is the version token. */
final class GcsObjectInfos {
    private GcsObjectInfos() {
    }

    static ObjectInfo of(BlobInfo blob) {
        Map<String, String> checksums = new TreeMap<>();
        if (blob.getCrc32c() != null) {
            checksums.put("crc32c", blob.getCrc32c());
        }
        // Composite objects have no MD5; the CRC32C alone then identifies the content.
        if (blob.getMd5() != null) {
            checksums.put("md5", blob.getMd5());
        }
        Long generation = blob.getGeneration();
        Long size = blob.getSize();
        OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
        Instant lastModified = updated == null ? null : updated.toInstant();
        return new ObjectInfo(blob.getName(), size == null ? 0 : size,
                generation == null ? null : Long.toString(generation), checksums, lastModified);
    }
}
