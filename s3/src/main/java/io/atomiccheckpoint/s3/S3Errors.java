package io.atomiccheckpoint.s3;

import static io.atomiccheckpoint.ErrorKind.CONFLICT;
import static io.atomiccheckpoint.ErrorKind.CORRUPT;
import static io.atomiccheckpoint.ErrorKind.INVALID_INPUT;
import static io.atomiccheckpoint.ErrorKind.NOT_FOUND;
import static io.atomiccheckpoint.ErrorKind.NOT_SUPPORTED;
import static io.atomiccheckpoint.ErrorKind.PERMISSION_DENIED;
import static io.atomiccheckpoint.ErrorKind.PRECONDITION_FAILED;
import static io.atomiccheckpoint.ErrorKind.THROTTLED;
import static io.atomiccheckpoint.ErrorKind.TRANSIENT;
import static io.atomiccheckpoint.ErrorKind.UNAUTHENTICATED;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one error model of the S3 store: every failure, of a request or of a response stream, becomes a
 * {@link StoreException} whose {@link ErrorKind} comes from {@link #TABLE}, a table of (HTTP status, S3 error
 * code) pairs, or, for failures that never reached the service, from {@link #kindOf}'s short list of SDK
 * exceptions. {@link #join} is the only place requests are waited for.
 *
 * <p>Decisions the table records:
 * <ul>
 *   <li>409 {@code ConditionalRequestConflict} is {@link ErrorKind#CONFLICT}, not
 *       {@link ErrorKind#PRECONDITION_FAILED}: S3 sends it when a concurrent request on the key interfered with a
 *       conditional write before the condition was judged, so it says nothing about the condition (the key may
 *       well be free). The store re-sends such writes a few times ({@link S3Uploads}) and reports
 *       {@code CONFLICT} only if the interference persists.</li>
 *   <li>503 (any code, {@code SlowDown} and {@code ServiceUnavailable} alike) is {@link ErrorKind#THROTTLED}: S3
 *       answers 503 to ask for a lower request rate.</li>
 *   <li>A row with an error code matches that code at the status S3 sends it with, or at any status where the
 *       status is unknown (the per-key errors of DeleteObjects carry none); rows with a status alone catch the
 *       rest, including HEAD answers, which have no body and so no code.</li>
 * </ul>
 *
 * <p>Messages name the status, the code, the service's message and request id, with the configured credentials
 * replaced by {@code <redacted>} and every external text quoted with {@link Messages#quote}.
 */
final class S3Errors {
    /** In the table: any status. As an input: the status is unknown (per-key DeleteObjects errors). */
    static final int ANY = -1;

    /** One row of the table: {@code code} null means any code. */
    record Rule(int status, String code, ErrorKind kind) {
        boolean matches(int actualStatus, String actualCode) {
            if (code != null) {
                return code.equals(actualCode) && (status == ANY || actualStatus == ANY || status == actualStatus);
            }
            return status == actualStatus;
        }
    }

    /** The table: the first matching row decides; rows with codes come first. */
    static final List<Rule> TABLE = List.of(
            new Rule(404, "NoSuchKey", NOT_FOUND),
            new Rule(404, "NoSuchBucket", NOT_FOUND),
            new Rule(404, "NoSuchUpload", NOT_FOUND),
            new Rule(412, "PreconditionFailed", PRECONDITION_FAILED),
            new Rule(409, "ConditionalRequestConflict", CONFLICT),
            new Rule(409, "OperationAborted", CONFLICT),
            new Rule(403, "AccessDenied", PERMISSION_DENIED),
            new Rule(403, "AllAccessDisabled", PERMISSION_DENIED),
            new Rule(403, "InvalidAccessKeyId", UNAUTHENTICATED),
            new Rule(403, "SignatureDoesNotMatch", UNAUTHENTICATED),
            // 400 on Amazon S3, 403 on some compatible servers.
            new Rule(ANY, "ExpiredToken", UNAUTHENTICATED),
            new Rule(ANY, "InvalidToken", UNAUTHENTICATED),
            new Rule(503, "SlowDown", THROTTLED),
            new Rule(500, "InternalError", TRANSIENT),
            // S3 gave up waiting for the request body: sending it again may succeed.
            new Rule(400, "RequestTimeout", TRANSIENT),
            new Rule(416, "InvalidRange", INVALID_INPUT),
            new Rule(400, "InvalidArgument", INVALID_INPUT),
            new Rule(400, "InvalidRequest", INVALID_INPUT),
            new Rule(400, "MalformedXML", INVALID_INPUT),
            new Rule(400, "EntityTooSmall", INVALID_INPUT),
            new Rule(400, "EntityTooLarge", INVALID_INPUT),
            new Rule(400, "KeyTooLongError", INVALID_INPUT),
            new Rule(400, "InvalidPart", INVALID_INPUT),
            new Rule(400, "InvalidPartOrder", INVALID_INPUT),
            // The bytes that arrived do not match the checksum sent with them.
            new Rule(400, "BadDigest", CORRUPT),
            new Rule(400, "XAmzContentChecksumMismatch", CORRUPT),
            new Rule(501, "NotImplemented", NOT_SUPPORTED),
            // Without a code (HEAD answers have no body) or with codes not listed above.
            new Rule(404, null, NOT_FOUND),
            new Rule(412, null, PRECONDITION_FAILED),
            new Rule(409, null, CONFLICT),
            new Rule(401, null, UNAUTHENTICATED),
            new Rule(403, null, PERMISSION_DENIED),
            new Rule(429, null, THROTTLED),
            new Rule(503, null, THROTTLED),
            new Rule(500, null, TRANSIENT),
            new Rule(502, null, TRANSIENT),
            new Rule(504, null, TRANSIENT),
            new Rule(408, null, TRANSIENT),
            new Rule(416, null, INVALID_INPUT),
            new Rule(501, null, NOT_SUPPORTED));

    /**
     * What the message of a failure that may come from a mishandled {@code Expect: 100-continue} starts with (first,
     * so that the cap on message length never cuts it).
     */
    static final String EXPECT_CONTINUE_HINT = "the request carried 'Expect: 100-continue'; if the server mishandles"
            + " it, set " + S3Settings.EXPECT_CONTINUE + "=false: ";

    private final List<String> secrets;

    S3Errors(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** The kind of an S3 error response; {@link ErrorKind#UNKNOWN} if no row matches. */
    static ErrorKind kind(int status, String code) {
        for (Rule rule : TABLE) {
            if (rule.matches(status, code)) {
                return rule.kind();
            }
        }
        return ErrorKind.UNKNOWN;
    }

    /**
     * The kind of any failure: a store exception keeps its own; a service answer goes through {@link #TABLE};
     * the SDK's call and attempt timeouts are {@link ErrorKind#TIMEOUT}; interrupts, cancellations and aborted
     * calls are {@link ErrorKind#INTERRUPTED}; a client failure caused by an I/O error (connection refused or
     * reset, a read timeout) is {@link ErrorKind#TRANSIENT}; a client failure caused by a wait that timed out
     * (no connection free in time) is {@link ErrorKind#TIMEOUT}; anything else is {@link ErrorKind#UNKNOWN}.
     */
    static ErrorKind kindOf(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof StoreException) {
            return ((StoreException) e).kind();
        }
        if (e instanceof AwsServiceException) {
            return kind(status(e), errorCode(e));
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return ErrorKind.TIMEOUT;
        }
        if (isInterruption(e)) {
            return ErrorKind.INTERRUPTED;
        }
        if (e instanceof SdkClientException) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (isInterruption(c)) {
                    return ErrorKind.INTERRUPTED;
                }
                if (c instanceof TimeoutException) {
                    return ErrorKind.TIMEOUT;
                }
                if (c instanceof IOException) {
                    return TRANSIENT;
                }
            }
        }
        if (e instanceof IOException) {
            return TRANSIENT;
        }
        return ErrorKind.UNKNOWN;
    }

    private static boolean isInterruption(Throwable e) {
        // SocketTimeoutException is an InterruptedIOException too, but a timeout: only the exact class counts.
        return e instanceof InterruptedException || e instanceof CancellationException || e instanceof AbortedException
                || e instanceof ClosedByInterruptException || e.getClass() == InterruptedIOException.class;
    }

    /**
     * Waits for a request until the operation's deadline, and translates its failure. An interrupt of the waiting
     * thread cancels the request and keeps the thread's interrupt status.
     */
    <T> T join(CompletableFuture<T> future, String operation, Location location, Deadline deadline) {
        long left = deadline.remainingNanos();
        try {
            if (left <= 0 && !future.isDone()) {
                throw new TimeoutException();
            }
            // A moment's grace, so that the SDK's own call timeout (set to the same instant) reports first.
            return future.get(Math.max(0, left) + TimeUnit.MILLISECONDS.toNanos(250), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreException(ErrorKind.INTERRUPTED, operation, location, "interrupted while waiting for S3", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw deadline.expired(operation, location, e);
        } catch (ExecutionException | CancellationException e) {
            throw translate(operation, location, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /**
     * The failure as a {@link StoreException} of its kind: an {@link ObjectNotFoundException} for a missing key
     * (not a missing bucket or upload), a {@link PreconditionFailedException} for a refused condition (callers
     * that know which condition rethrow it with a message naming it). An interruption sets the thread's interrupt
     * status again.
     */
    StoreException translate(String operation, Location location, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof StoreException) {
            return (StoreException) e;
        }
        ErrorKind kind = kindOf(e);
        switch (kind) {
            case INTERRUPTED:
                Thread.currentThread().interrupt();
                return new StoreException(kind, operation, location, "interrupted: " + describe(e), e);
            case NOT_FOUND:
                if (isMissingKey(e)) {
                    return new ObjectNotFoundException(operation, location, e);
                }
                return new StoreException(kind, operation, location, describe(e), e);
            case PRECONDITION_FAILED:
                return new PreconditionFailedException(operation, location, "a condition of the request did not hold: "
                        + describe(e), e);
            default:
                return new StoreException(kind, operation, location, describe(e), e);
        }
    }

    /**
     * The failure of a request that carried {@code Expect: 100-continue} (PutObject and UploadPart bodies from
     * {@link S3Settings#EXPECT_CONTINUE_THRESHOLD} on), naming the setting that turns it off if it is how a server
     * that mishandles the header makes a request fail: 417 Expectation Failed, or no answer at all (a timeout, a
     * connection dropped while the client waits for the 100). Other failures are returned as they are.
     */
    StoreException withExpectContinueHint(StoreException e, String operation, Location location) {
        int status = status(e);
        boolean expectationFailed = status == 417;
        boolean noAnswer = status == ANY && (e.kind() == TRANSIENT || e.kind() == ErrorKind.TIMEOUT);
        if (!(expectationFailed || noAnswer) || e.getClass() != StoreException.class) {
            return e;
        }
        String prefix = operation + " " + location + ": ";
        String detail = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new StoreException(e.kind(), operation, location, EXPECT_CONTINUE_HINT + detail, e);
    }

    /** A 404 that means the key is absent: NoSuchKey, or no code at all (HEAD); not NoSuchBucket or NoSuchUpload. */
    static boolean isMissingKey(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof ObjectNotFoundException) {
            return true;
        }
        if (e instanceof StoreException) {
            return ((StoreException) e).kind() == NOT_FOUND && isMissingKey(e.getCause());
        }
        String code = errorCode(e);
        return status(e) == 404 && (code == null || code.equals("NoSuchKey"));
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The HTTP status of a service answer, or {@link #ANY} if the failure is not one. */
    static int status(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof StoreException && e.getCause() != null) {
            return status(e.getCause());
        }
        return e instanceof AwsServiceException ? ((AwsServiceException) e).statusCode() : ANY;
    }

    /** The S3 error code of a service answer, or null. */
    static String errorCode(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof StoreException && e.getCause() != null) {
            return errorCode(e.getCause());
        }
        if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
            return ((AwsServiceException) e).awsErrorDetails().errorCode();
        }
        return null;
    }

    /** Status, S3 error code, the service's message and request id; or the client-side failure. */
    String describe(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof AwsServiceException) {
            AwsServiceException s = (AwsServiceException) e;
            String code = errorCode(s);
            String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            return "HTTP " + s.statusCode() + (code == null ? "" : " " + quote(code))
                    + (message == null ? "" : ": " + quote(message))
                    + (s.requestId() == null ? "" : " (request id " + quote(s.requestId()) + ")");
        }
        if (e instanceof StoreException) {
            return quote(e.getMessage());
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + quote(e.getMessage()));
    }

    /** A per-key error of DeleteObjects, described as {@link #describe} does. */
    String describe(String code, String message) {
        return quote(Objects.toString(code, "no code")) + (message == null ? "" : ": " + quote(message));
    }

    /** External text with the configured credentials redacted, capped and escaped. */
    String quote(String text) {
        return Messages.quote(scrub(text));
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "<redacted>");
        }
        return out;
    }
}
