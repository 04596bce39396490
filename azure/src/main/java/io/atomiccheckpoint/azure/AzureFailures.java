package io.atomiccheckpoint.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The one error model of the Azure store: {@link #TABLE} maps the service's (HTTP status, {@code x-ms-error-code})
 * pairs to {@link ErrorKind}s, and {@link #translate} turns anything the SDK throws into a {@link StoreException}
 * of that kind. Messages carry the status and error code only, never the service's text (403 answers quote the
 * request's signature); the SDK exception survives as a {@link RedactedException} cause.
 */
final class AzureFailures {
    /** Matches any status. */
    static final int ANY = -1;

    /** One row of the table: an error code (null for any) and a status ({@link #ANY} for any). */
    record Row(String code, int status, ErrorKind kind) {
        boolean matches(int s, String c) {
            return (code == null || code.equalsIgnoreCase(c)) && (status == ANY || status == s);
        }
    }

    /**
     * The table, first match wins: rows with an error code come before the status-only fallbacks, because the
     * code is the more precise answer (a 403 is PERMISSION_DENIED unless its code says the credential itself
     * was not accepted).
     */
    static final List<Row> TABLE = List.of(
            new Row("BlobNotFound", ANY, ErrorKind.NOT_FOUND),
            new Row("ContainerNotFound", ANY, ErrorKind.NOT_FOUND),
            new Row("ResourceNotFound", ANY, ErrorKind.NOT_FOUND),
            // Copy Blob From URL reports its source's answer under this code with the source's status.
            new Row("CannotVerifyCopySource", 404, ErrorKind.NOT_FOUND),
            new Row("CannotVerifyCopySource", 412, ErrorKind.PRECONDITION_FAILED),
            new Row("CannotVerifyCopySource", 401, ErrorKind.UNAUTHENTICATED),
            new Row("CannotVerifyCopySource", 403, ErrorKind.PERMISSION_DENIED),
            new Row("ConditionNotMet", ANY, ErrorKind.PRECONDITION_FAILED),
            new Row("SourceConditionNotMet", ANY, ErrorKind.PRECONDITION_FAILED),
            new Row("TargetConditionNotMet", ANY, ErrorKind.PRECONDITION_FAILED),
            new Row("BlobAlreadyExists", ANY, ErrorKind.PRECONDITION_FAILED),
            new Row("AuthenticationFailed", ANY, ErrorKind.UNAUTHENTICATED),
            new Row("NoAuthenticationInformation", ANY, ErrorKind.UNAUTHENTICATED),
            new Row("InvalidAuthenticationInfo", ANY, ErrorKind.UNAUTHENTICATED),
            new Row("AuthorizationFailure", ANY, ErrorKind.PERMISSION_DENIED),
            new Row("AuthorizationPermissionMismatch", ANY, ErrorKind.PERMISSION_DENIED),
            new Row("AuthorizationSourceIPMismatch", ANY, ErrorKind.PERMISSION_DENIED),
            new Row("AuthorizationProtocolMismatch", ANY, ErrorKind.PERMISSION_DENIED),
            new Row("AuthorizationResourceTypeMismatch", ANY, ErrorKind.PERMISSION_DENIED),
            new Row("AuthorizationServiceMismatch", ANY, ErrorKind.PERMISSION_DENIED),
            new Row("InsufficientAccountPermissions", ANY, ErrorKind.PERMISSION_DENIED),
            new Row("ServerBusy", ANY, ErrorKind.THROTTLED),
            new Row("OperationTimedOut", ANY, ErrorKind.TIMEOUT),
            new Row("InternalError", ANY, ErrorKind.TRANSIENT),
            new Row(null, 401, ErrorKind.UNAUTHENTICATED),
            new Row(null, 403, ErrorKind.PERMISSION_DENIED),
            new Row(null, 404, ErrorKind.NOT_FOUND),
            new Row(null, 412, ErrorKind.PRECONDITION_FAILED),
            new Row(null, 429, ErrorKind.THROTTLED),
            new Row(null, 503, ErrorKind.THROTTLED),
            new Row(null, 500, ErrorKind.TRANSIENT),
            new Row(null, 502, ErrorKind.TRANSIENT),
            new Row(null, 504, ErrorKind.TIMEOUT));

    private final SecretRedactor redactor;

    AzureFailures(SecretRedactor redactor) {
        this.redactor = redactor;
    }

    /** {@code failure} with every message redacted, to keep as a cause. */
    RedactedException redacted(Throwable failure) {
        return RedactedException.of(failure, redactor);
    }

    /** The kind of a service answer with {@code status} and error code {@code code} (may be null). */
    static ErrorKind kindOf(int status, String code) {
        for (Row row : TABLE) {
            if (row.matches(status, code)) {
                return row.kind();
            }
        }
        return ErrorKind.UNKNOWN;
    }

    /**
     * The kind of a failure that is not a service answer: an interrupt (whose status this restores), a deadline,
     * an I/O failure, or anything else. Looks through the whole cause chain, since the SDK and Reactor wrap
     * these in runtime exceptions.
     */
    static ErrorKind kindOfLocal(Throwable failure) {
        boolean timeout = false;
        boolean io = false;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t.getClass() == InterruptedIOException.class) {
                Thread.currentThread().interrupt();
                return ErrorKind.INTERRUPTED;
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || t.getClass().getName().startsWith("io.netty.handler.timeout.")) {
                timeout = true;
            }
            if (t instanceof IOException) {
                io = true;
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            return ErrorKind.INTERRUPTED;
        }
        return timeout ? ErrorKind.TIMEOUT : io ? ErrorKind.TRANSIENT : ErrorKind.UNKNOWN;
    }

    /** The error code of a service answer, or null. */
    static String code(BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        return code == null ? null : code.toString();
    }

    /** Whether the service said the addressed blob itself (not its container) does not exist. */
    static boolean isMissingBlob(BlobStorageException e) {
        return e.getStatusCode() == 404 && !"ContainerNotFound".equalsIgnoreCase(code(e));
    }

    /**
     * The exception for {@code failure} during {@code operation} on {@code location}: the library's own pass
     * through, service answers are looked up in {@link #TABLE}, anything else is classified by
     * {@link #kindOfLocal}. {@link ErrorKind#NOT_FOUND} becomes an {@link ObjectNotFoundException} unless it is
     * the container that is missing, {@link ErrorKind#PRECONDITION_FAILED} a {@link PreconditionFailedException}.
     */
    StoreException translate(String operation, Location location, Throwable failure) {
        if (failure instanceof StoreException) {
            return (StoreException) failure;
        }
        RedactedException cause = RedactedException.of(failure, redactor);
        BlobStorageException service = serviceAnswer(failure);
        if (service == null) {
            ErrorKind kind = failure instanceof AtomicCheckpointException
                    ? ((AtomicCheckpointException) failure).kind() : kindOfLocal(failure);
            String what = kind == ErrorKind.INTERRUPTED ? "interrupted"
                    : kind == ErrorKind.TIMEOUT ? "no answer within the deadline (" + cause.getMessage() + ")"
                    : "request failed: " + cause.getMessage();
            return new StoreException(kind, operation, location, what, cause);
        }
        int status = service.getStatusCode();
        String code = code(service);
        ErrorKind kind = kindOf(status, code);
        if (kind == ErrorKind.NOT_FOUND && isMissingBlob(service)) {
            return new ObjectNotFoundException(operation, location, cause);
        }
        if (kind == ErrorKind.PRECONDITION_FAILED) {
            return new PreconditionFailedException(operation, location, "condition refused by the service ("
                    + describe(status, code) + ")", cause);
        }
        return new StoreException(kind, operation, location, explain(kind, status, code, location), cause);
    }

    /** The service answer in {@code failure}'s cause chain, if any. */
    static BlobStorageException serviceAnswer(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof BlobStorageException) {
                return (BlobStorageException) t;
            }
        }
        return null;
    }

    static String describe(int status, String code) {
        return "HTTP " + status + (code == null ? "" : " " + code);
    }

    private static String explain(ErrorKind kind, int status, String code, Location location) {
        String what = describe(status, code);
        if ("ContainerNotFound".equalsIgnoreCase(code)) {
            return "container '" + location.bucket() + "' does not exist (" + what + ")";
        }
        switch (kind) {
            case UNAUTHENTICATED:
                return "the credential was not accepted (" + what + "): check the account key, SAS or identity";
            case PERMISSION_DENIED:
                return "access denied (" + what + "): check the credential's role or SAS permissions";
            case THROTTLED:
                return "the service is throttling requests (" + what + ")";
            case TRANSIENT:
            case TIMEOUT:
                return "the service failed the request (" + what + "); it may succeed if repeated";
            default:
                return "the service refused the request (" + what + ")";
        }
    }
}
