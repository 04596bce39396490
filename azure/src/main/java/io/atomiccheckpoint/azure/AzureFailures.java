package io.atomiccheckpoint.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;

/**
 * Turns SDK failures into core's exceptions. Messages are built from the HTTP status and the service's error
 * code only; the SDK exception survives as a {@link RedactedException} cause so nothing secret travels with it.
 */
final class AzureFailures {
    private final SecretRedactor redactor;

    AzureFailures(SecretRedactor redactor) {
        this.redactor = redactor;
    }

    /**
     * The exception to throw for {@code failure} during {@code operation} on {@code location}.
     *
     * @param createOnly whether the request carried {@code If-None-Match: *}, so that a conflict means the
     *     target already exists
     */
    StoreException translate(String operation, Location location, RuntimeException failure, boolean createOnly) {
        if (failure instanceof StoreException) {
            return (StoreException) failure;
        }
        RedactedException cause = RedactedException.of(failure, redactor);
        if (!(failure instanceof BlobStorageException)) {
            return new StoreException(operation, location, "request failed: " + cause.getMessage(), cause);
        }
        BlobStorageException e = (BlobStorageException) failure;
        BlobErrorCode code = e.getErrorCode();
        int status = e.getStatusCode();
        if (createOnly && (BlobErrorCode.BLOB_ALREADY_EXISTS.equals(code)
                || (status == 412 && !isSourceCondition(code)))) {
            return new PreconditionFailedException(operation, location, cause);
        }
        if (isMissingBlob(e)) {
            return new ObjectNotFoundException(operation, location, cause);
        }
        return new StoreException(operation, location, describe(status, code, location), cause);
    }

    /** Whether the service said the addressed blob (or a copy's source blob) does not exist. */
    static boolean isMissingBlob(BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        return BlobErrorCode.BLOB_NOT_FOUND.equals(code)
                || (BlobErrorCode.CANNOT_VERIFY_COPY_SOURCE.equals(code) && e.getStatusCode() == 404);
    }

    private static boolean isSourceCondition(BlobErrorCode code) {
        return BlobErrorCode.SOURCE_CONDITION_NOT_MET.equals(code);
    }

    static String describe(int status, BlobErrorCode code, Location location) {
        String what = "HTTP " + status + (code == null ? "" : " " + code);
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
            return "container '" + location.bucket() + "' does not exist (" + what + ")";
        }
        if (status == 403) {
            return "access denied (" + what + "): check the credential and its role or SAS permissions";
        }
        if (BlobErrorCode.CONTAINER_BEING_DELETED.equals(code) || BlobErrorCode.CONTAINER_DISABLED.equals(code)) {
            return "container '" + location.bucket() + "' is not usable (" + what + ")";
        }
        return "service refused the request (" + what + ")";
    }
}
