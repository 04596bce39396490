package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The one error table of {@link S3Errors}, row by row, and the SDK failures that never reach the service. */
class S3ErrorsTest {
    private static final Location LOC = Location.parse("s3://bucket/key");
    private final S3Errors errors = new S3Errors(List.of("AKIASECRETID", "very/secret+key"));

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private static S3Exception s3(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).requestId("REQ1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message).build();
    }

    /** The expectations, written independently of the table (status -1: unknown, as per-key delete errors). */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "404, NoSuchKey, NOT_FOUND",
        "404, NoSuchBucket, NOT_FOUND",
        "404, NoSuchUpload, NOT_FOUND",
        "404, , NOT_FOUND",
        "412, PreconditionFailed, PRECONDITION_FAILED",
        "412, , PRECONDITION_FAILED",
        "409, ConditionalRequestConflict, CONFLICT",
        "409, OperationAborted, CONFLICT",
        "409, BucketNotEmpty, CONFLICT",
        "403, AccessDenied, PERMISSION_DENIED",
        "403, , PERMISSION_DENIED",
        "403, InvalidAccessKeyId, UNAUTHENTICATED",
        "403, SignatureDoesNotMatch, UNAUTHENTICATED",
        "400, ExpiredToken, UNAUTHENTICATED",
        "403, ExpiredToken, UNAUTHENTICATED",
        "401, , UNAUTHENTICATED",
        "503, SlowDown, THROTTLED",
        "503, ServiceUnavailable, THROTTLED",
        "503, , THROTTLED",
        "429, , THROTTLED",
        "500, InternalError, TRANSIENT",
        "500, , TRANSIENT",
        "502, , TRANSIENT",
        "504, , TRANSIENT",
        "400, RequestTimeout, TRANSIENT",
        "416, InvalidRange, INVALID_INPUT",
        "400, InvalidArgument, INVALID_INPUT",
        "400, BadDigest, CORRUPT",
        "501, NotImplemented, NOT_SUPPORTED",
        "400, SomethingNew, UNKNOWN",
        "418, , UNKNOWN",
        "-1, AccessDenied, PERMISSION_DENIED",
        "-1, InternalError, TRANSIENT",
        "-1, SlowDown, THROTTLED",
        "-1, NoSuchKey, NOT_FOUND",
        "-1, , UNKNOWN",
    })
    void statusAndCodeGiveTheKind(int status, String code, ErrorKind kind) {
        assertThat(S3Errors.kind(status, code)).isEqualTo(kind);
        if (status > 0) {
            assertThat(S3Errors.kindOf(new CompletionException(s3(status, code, "m")))).isEqualTo(kind);
        }
    }

    /** No row is hidden by an earlier one: each decides its own (status, code). */
    @Test
    void everyRowOfTheTableDecidesItsOwnCase() {
        for (S3Errors.Rule rule : S3Errors.TABLE) {
            int status = rule.status() == S3Errors.ANY ? 400 : rule.status();
            assertThat(S3Errors.kind(status, rule.code())).as(rule.toString()).isEqualTo(rule.kind());
        }
    }

    @Test
    void failuresThatNeverReachedTheServiceHaveKindsToo() {
        assertThat(S3Errors.kindOf(ApiCallTimeoutException.create(1000))).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(S3Errors.kindOf(ApiCallAttemptTimeoutException.create(1000))).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(S3Errors.kindOf(SdkClientException.create("connect", new java.net.ConnectException("refused"))))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(S3Errors.kindOf(SdkClientException.create("read", new IOException("reset",
                new SocketTimeoutException())))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(S3Errors.kindOf(SdkClientException.create("pool", new Throwable("acquire",
                new TimeoutException())))).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(S3Errors.kindOf(SdkClientException.create("what"))).isEqualTo(ErrorKind.UNKNOWN);
        assertThat(S3Errors.kindOf(new IllegalStateException("bug"))).isEqualTo(ErrorKind.UNKNOWN);
        assertThat(S3Errors.kindOf(new CancellationException())).isEqualTo(ErrorKind.INTERRUPTED);
        assertThat(S3Errors.kindOf(AbortedException.create("aborted"))).isEqualTo(ErrorKind.INTERRUPTED);
        assertThat(S3Errors.kindOf(SdkClientException.create("x", new InterruptedException())))
                .isEqualTo(ErrorKind.INTERRUPTED);
    }

    @Test
    void translationGivesTheContractsExceptionTypes() {
        assertThat(errors.translate("get", LOC, s3(404, "NoSuchKey", "no"))).isInstanceOf(ObjectNotFoundException.class);
        assertThat(errors.translate("get", LOC, s3(404, null, null))).isInstanceOf(ObjectNotFoundException.class);
        assertThat(errors.translate("get", LOC, s3(404, "NoSuchBucket", "no")))
                .isNotInstanceOf(ObjectNotFoundException.class).hasMessageContaining("NoSuchBucket")
                .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(errors.translate("put", LOC, s3(412, "PreconditionFailed", "no")))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(LOC.toString());
    }

    @Test
    void aCancellationIsInterruptedAndSetsTheInterruptStatus() {
        StoreException e = errors.translate("stat", LOC, new CompletionException(new CancellationException()));
        assertThat(e.kind()).isEqualTo(ErrorKind.INTERRUPTED);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void joinOnAnInterruptedThreadCancelsTheRequestAndKeepsTheStatus() {
        CompletableFuture<String> never = new CompletableFuture<>();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> errors.join(never, "stat", LOC, Deadline.after(Duration.ofMinutes(1))))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.INTERRUPTED));
        assertThat(Thread.interrupted()).isTrue();
        assertThat(never).isCancelled();
    }

    @Test
    void joinPastTheDeadlineIsTimeoutAndCancelsTheRequest() {
        CompletableFuture<String> never = new CompletableFuture<>();
        assertThatThrownBy(() -> errors.join(never, "stat", LOC, Deadline.after(Duration.ofMillis(1))))
                .isInstanceOf(StoreException.class).hasMessageContaining("s3.timeout.operation")
                .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(never).isCancelled();
    }

    @Test
    void messagesRedactCredentialsAndEscapeWhatTheyQuote() {
        StoreException e = errors.translate("put", LOC, s3(403, "AccessDenied",
                "denied for AKIASECRETID with very/secret+key\nForged-Line: yes"));
        assertThat(e.getMessage()).doesNotContain("AKIASECRETID").doesNotContain("very/secret+key")
                .contains("<redacted>").contains("\\u000A").doesNotContain("\n").contains("REQ1").contains("HTTP 403");
        String longMessage = "x".repeat(5000);
        assertThat(errors.translate("put", LOC, s3(500, "InternalError", longMessage)).getMessage().length())
                .isLessThan(600);
    }
}
