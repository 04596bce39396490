package io.atomiccheckpoint.azure;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Makes the copy source readable by the service. Copy Blob From URL reads its source as an anonymous client
 * would, so on real Azure the source URL must carry a SAS even inside one account; the asynchronous Copy Blob
 * is given the same URL so both paths behave alike. The URL it returns holds a signature: it goes to the SDK
 * only, never into a message or a log.
 *
 * <p>Azurite does not check this (it copies from a bare URL), so only {@link #sharedKeySas()} runs in the tests.
 */
public interface CopySourceAuthorizer {
    /**
     * The URL the service reads {@code source} from, valid for at least {@code validity}.
     */
    String sourceUrl(BlobClient source, Duration validity);

    /** Signs a short-lived read-only service SAS with the account key the client was built with. */
    static CopySourceAuthorizer sharedKeySas() {
        return (source, validity) -> source.getBlobUrl() + "?" + source.generateSas(readOnly(validity));
    }

    /**
     * Appends a configured SAS token; it must grant read on the source containers (for example an account SAS
     * with {@code sp=rwdlac}).
     */
    static CopySourceAuthorizer configuredSas(String sasToken) {
        return (source, validity) -> source.getBlobUrl() + "?" + sasToken;
    }

    /**
     * Signs a user-delegation SAS with a key obtained through the client's Microsoft Entra ID credential; the
     * identity needs the {@code generateUserDelegationKey} action (Storage Blob Data Contributor has it).
     */
    static CopySourceAuthorizer userDelegationSas(BlobServiceClient service) {
        return new UserDelegationSas(service);
    }

    /** The bare URL: for public containers, or emulators that do not authorize copy sources. */
    static CopySourceAuthorizer unsigned() {
        return (source, validity) -> source.getBlobUrl();
    }

    /** The authorizer that fits how {@code service} authenticates, found from its pipeline. */
    static CopySourceAuthorizer forClient(BlobServiceClient service) {
        if (StorageSharedKeyCredential.getSharedKeyCredentialFromPipeline(service.getHttpPipeline()) != null) {
            return sharedKeySas();
        }
        return userDelegationSas(service);
    }

    private static BlobServiceSasSignatureValues readOnly(Duration validity) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // Start a little in the past: the service's clock may lag ours.
        return new BlobServiceSasSignatureValues(now.plus(validity), new BlobSasPermission().setReadPermission(true))
                .setStartTime(now.minusMinutes(5));
    }

    /** Caches the user delegation key until less than the needed validity remains. */
    final class UserDelegationSas implements CopySourceAuthorizer {
        private static final Duration KEY_LIFETIME = Duration.ofHours(6);

        private final BlobServiceClient service;
        private UserDelegationKey key;

        private UserDelegationSas(BlobServiceClient service) {
            this.service = service;
        }

        @Override
        public String sourceUrl(BlobClient source, Duration validity) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            OffsetDateTime expiry = now.plus(validity);
            return source.getBlobUrl() + "?" + source.generateUserDelegationSas(
                    readOnly(validity), keyValidUntil(now, expiry));
        }

        private synchronized UserDelegationKey keyValidUntil(OffsetDateTime now, OffsetDateTime expiry) {
            if (key == null || key.getSignedExpiry().isBefore(expiry)) {
                Duration lifetime = KEY_LIFETIME.compareTo(Duration.between(now, expiry)) > 0 ? KEY_LIFETIME
                        : Duration.between(now, expiry).plusMinutes(5);
                key = service.getUserDelegationKey(now.minusMinutes(5), now.plus(lifetime));
            }
            return key;
        }
    }
}
