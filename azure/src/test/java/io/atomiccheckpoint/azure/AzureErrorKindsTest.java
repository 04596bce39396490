package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.azure.testing.AzuriteLauncher;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The store raises every error kind it can produce: the error table row by row, the classification of local
 * failures, and real requests that meet each kind against Azurite or a pipeline policy that rewrites the
 * service's answers. Timeouts against a server that never answers are in {@link NeverAnsweringServerTest}.
 */
class AzureErrorKindsTest {
    private static Location container;

    @BeforeAll
    static void setUp() {
        container = AzuriteStores.newContainer("kinds");
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource({
        "404, BlobNotFound, NOT_FOUND",
        "404, ContainerNotFound, NOT_FOUND",
        "404, ResourceNotFound, NOT_FOUND",
        "404, , NOT_FOUND",
        "404, CannotVerifyCopySource, NOT_FOUND",
        "412, CannotVerifyCopySource, PRECONDITION_FAILED",
        "401, CannotVerifyCopySource, UNAUTHENTICATED",
        "403, CannotVerifyCopySource, PERMISSION_DENIED",
        "412, ConditionNotMet, PRECONDITION_FAILED",
        "412, SourceConditionNotMet, PRECONDITION_FAILED",
        "412, TargetConditionNotMet, PRECONDITION_FAILED",
        "412, , PRECONDITION_FAILED",
        "409, BlobAlreadyExists, PRECONDITION_FAILED",
        "403, AuthenticationFailed, UNAUTHENTICATED",
        "401, NoAuthenticationInformation, UNAUTHENTICATED",
        "403, NoAuthenticationInformation, UNAUTHENTICATED",
        "400, InvalidAuthenticationInfo, UNAUTHENTICATED",
        "401, , UNAUTHENTICATED",
        "403, AuthorizationFailure, PERMISSION_DENIED",
        "403, AuthorizationPermissionMismatch, PERMISSION_DENIED",
        "403, AuthorizationSourceIPMismatch, PERMISSION_DENIED",
        "403, AuthorizationProtocolMismatch, PERMISSION_DENIED",
        "403, AuthorizationResourceTypeMismatch, PERMISSION_DENIED",
        "403, AuthorizationServiceMismatch, PERMISSION_DENIED",
        "403, InsufficientAccountPermissions, PERMISSION_DENIED",
        "403, , PERMISSION_DENIED",
        "503, ServerBusy, THROTTLED",
        "503, , THROTTLED",
        "429, , THROTTLED",
        "500, OperationTimedOut, TIMEOUT",
        "504, , TIMEOUT",
        "500, InternalError, TRANSIENT",
        "500, , TRANSIENT",
        "502, , TRANSIENT",
        "409, LeaseIdMissing, UNKNOWN",
        "400, InvalidHeaderValue, UNKNOWN",
        "501, , UNKNOWN"
    })
    void theErrorTableMapsEachAnswerToItsKind(int status, String code, ErrorKind kind) {
        assertThat(AzureFailures.kindOf(status, code)).isEqualTo(kind);
    }

    @Test
    void localFailuresAreClassifiedThroughTheirCauseChain() {
        assertThat(AzureFailures.kindOfLocal(new RuntimeException(new IllegalStateException("Timeout on blocking read",
                new TimeoutException("5 ms"))))).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(AzureFailures.kindOfLocal(new UncheckedIOException(new IOException("connection reset"))))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(AzureFailures.kindOfLocal(new IllegalArgumentException("bug"))).isEqualTo(ErrorKind.UNKNOWN);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(AzureFailures.kindOfLocal(new RuntimeException(new InterruptedException())))
                .isEqualTo(ErrorKind.INTERRUPTED);
        assertThat(Thread.interrupted()).as("the interrupt the SDK swallowed is restored").isTrue();
    }

    @Test
    void missingObjectsAndContainersAreNotFound() {
        Store store = AzuriteStores.fixture().store();
        Location missing = container.resolve("missing");
        assertThatThrownBy(() -> store.read(missing)).isInstanceOf(ObjectNotFoundException.class)
                .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> store.write(Location.parse("az://no-such-container-x/k"), new byte[1],
                PutMode.OVERWRITE)).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void refusedConditionsArePreconditionFailed() {
        Store store = AzuriteStores.fixture().store();
        Location loc = AzuriteStores.scratch(container).resolve("x");
        store.write(loc, new byte[] {1}, PutMode.CREATE);
        assertThatThrownBy(() -> store.write(loc, new byte[] {2}, PutMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class)
                .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.PRECONDITION_FAILED));
    }

    /**
     * A wrong account key: Azurite answers 403 AuthorizationFailure (permission denied) where Azure answers 403
     * AuthenticationFailed (unauthenticated); the table maps each code, so both are right for their service.
     */
    @Test
    void aWrongAccountKeyIsRefusedWithTheKindOfTheServicesCode() {
        String wrongKey = Base64.getEncoder().encodeToString("not the key of this account at all!!"
                .getBytes(StandardCharsets.US_ASCII));
        StoreConfig config = StoreConfig.empty().with("azure.connectionString",
                "DefaultEndpointsProtocol=http;AccountName=" + AzuriteLauncher.ACCOUNT + ";AccountKey=" + wrongKey
                        + ";BlobEndpoint=" + AzuriteLauncher.shared().blobEndpoint() + ";")
                .with("azure.retry.maxAttempts", "1");
        try (Store store = Store.of(AzureBlobObjectStore.open(config))) {
            assertThatThrownBy(() -> store.stat(container.resolve("k")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("403 AuthorizationFailure")
                    .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.PERMISSION_DENIED));
        }
    }

    @Test
    void throttlingAnswersAreThrottledAndRetriedUntilTheBudgetIsSpent() {
        assertKindOfAnswer(503, "ServerBusy", ErrorKind.THROTTLED);
        assertKindOfAnswer(429, "TooManyRequests", ErrorKind.THROTTLED);
    }

    @Test
    void serverFailuresAreTransientOrTimeouts() {
        assertKindOfAnswer(500, "InternalError", ErrorKind.TRANSIENT);
        assertKindOfAnswer(502, "BadGateway", ErrorKind.TRANSIENT);
        assertKindOfAnswer(500, "OperationTimedOut", ErrorKind.TIMEOUT);
    }

    /** Every request is answered with {@code status} and {@code code}; each operation fails with {@code kind}. */
    private static void assertKindOfAnswer(int status, String code, ErrorKind kind) {
        Location loc = AzuriteStores.scratch(container).resolve("k");
        AzuriteStores.fixture().store().write(loc, new byte[] {1}, PutMode.CREATE);
        Wire.Answer answer = new Wire.Answer(r -> true, status, code);
        Wire.Recorder tries = new Wire.Recorder();
        try (Store store = Store.of(AzureBlobObjectStore.builder()
                .config(AzuriteStores.config().with("azure.retry.maxAttempts", "2"))
                .clientCustomizer(b -> b.addPolicy(tries).addPolicy(answer)).build())) {
            for (Consumer<Store> operation : Map.<String, Consumer<Store>>of(
                    "stat", s -> s.stat(loc),
                    "get", s -> s.readBytes(loc),
                    "put", s -> s.write(loc, new byte[] {2}, PutMode.OVERWRITE),
                    "list", s -> s.list(loc.parent().orElseThrow()).count(),
                    "copy", s -> s.copy(loc, loc.sibling("c"), PutMode.OVERWRITE),
                    "delete", s -> s.delete(loc)).values()) {
                tries.clear();
                assertThatThrownBy(() -> operation.accept(store))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining(String.valueOf(status))
                        .satisfies(e -> assertThat(kind(e)).isEqualTo(kind));
                // The SDK retries 429, 500 and 503 answers; the budget here is two attempts.
                assertThat(tries.requests()).as("attempts").hasSize(status == 429 || status == 500
                        || status == 503 ? 2 : 1);
            }
        }
    }

    @Test
    void anInterruptedCallIsInterruptedAndKeepsTheStatus() {
        Store store = AzuriteStores.fixture().store();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> store.write(container.resolve("i"), new byte[1], PutMode.OVERWRITE))
                .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.INTERRUPTED));
        assertThat(Thread.interrupted()).isTrue();
    }

    private static ErrorKind kind(Throwable e) {
        return ((AtomicCheckpointException) e).kind();
    }
}
