package io.atomiccheckpoint.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.cloud.storage.StorageException;
import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.gcs.testing.RecordingConnections;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every {@link ErrorKind} the GCS store can raise: the error table itself, row by row, and then real requests
 * that produce each kind, from the emulator where it can (404, 412) and from faults injected in the HTTP transport
 * otherwise (429, 5xx, 401, 403, 409, resets), a loopback socket that never answers (timeouts) and an interrupted
 * thread.
 */
class GcsErrorKindsTest {
    private static final StoreConfig FAST = FakeGcsStores.config().with("gcs.retry.initialDelay", "PT0.01S")
            .with("gcs.retry.maxDelay", "PT0.02S");

    private static Location existing;

    @BeforeAll
    static void writeAnObject() {
        existing = FakeGcsStores.newScratchLocation().resolve("present");
        FakeGcsStores.fixture().store().write(existing, bytes("x"), PutMode.CREATE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorKind kindOf(ThrowingCallable call) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                call.call();
            } catch (Throwable t) {
                thrown[0] = t;
                throw t;
            }
        }).isInstanceOf(AtomicCheckpointException.class);
        return ((AtomicCheckpointException) thrown[0]).kind();
    }

    // ---- the table

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "400, invalid, INVALID_INPUT",
        "401, required, UNAUTHENTICATED",
        "403, forbidden, PERMISSION_DENIED",
        "403, insufficientPermissions, PERMISSION_DENIED",
        "403, rateLimitExceeded, THROTTLED",
        "403, userRateLimitExceeded, THROTTLED",
        "404, notFound, NOT_FOUND",
        "408, -, TRANSIENT",
        "409, conflict, CONFLICT",
        "412, conditionNotMet, PRECONDITION_FAILED",
        "416, requestedRangeNotSatisfiable, INVALID_INPUT",
        "429, rateLimitExceeded, THROTTLED",
        "500, backendError, TRANSIENT",
        "502, -, TRANSIENT",
        "503, backendError, THROTTLED",
        "504, -, TRANSIENT",
        "418, -, UNKNOWN",
        "501, notImplemented, UNKNOWN",
    })
    void tableMapsStatusAndReason(int status, String reason, ErrorKind kind) {
        assertThat(GcsErrors.kindOf(status, reason)).isEqualTo(kind);
        assertThat(GcsErrors.kindOf(new StorageException(status, "message", reason, null))).isEqualTo(kind);
    }

    @Test
    void failuresWithoutAStatusAreClassifiedByTheirCause() {
        assertThat(GcsErrors.kindOf(new StorageException(0, "read timed out", new SocketTimeoutException("x"))))
                .isEqualTo(ErrorKind.TIMEOUT);
        assertThat(GcsErrors.kindOf(new StorageException(0, "reset", new SocketException("Connection reset"))))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(GcsErrors.kindOf(new IOException("broken pipe"))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(GcsErrors.kindOf(new IllegalStateException("surprise"))).isEqualTo(ErrorKind.UNKNOWN);
        try {
            assertThat(GcsErrors.kindOf(new RuntimeException(new InterruptedException()))).isEqualTo(ErrorKind.INTERRUPTED);
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt status set again").isTrue();
            assertThat(GcsErrors.kindOf(new StorageException(0, "x", new ClosedByInterruptException())))
                    .isEqualTo(ErrorKind.INTERRUPTED);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void translatedExceptionsHaveTheirTypeAndQuoteTheServiceMessage() {
        Location loc = Location.parse("gs://bucket/key");
        assertThat(GcsErrors.translate("get", loc, new StorageException(404, "No such object", "notFound", null)))
                .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(loc.toString());
        assertThat(GcsErrors.translate("put", loc, new StorageException(412, "pre", "conditionNotMet", null)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(GcsErrors.translate("put", loc, new StorageException(503, "line\nbreak", "backendError", null)))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.THROTTLED))
                .hasMessageContaining("HTTP 503").hasMessageContaining("line\\u000Abreak");
    }

    @Test
    void anOperationPastItsDeadlineStartsNoFurtherRequest() {
        Location loc = Location.parse("gs://bucket/key");
        Deadline.start(Duration.ofDays(1)).check("copy", loc);
        assertThatThrownBy(() -> Deadline.start(Duration.ZERO).check("copy", loc))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
                .hasMessageContaining("gcs.timeout.operation").hasMessageContaining(loc.toString());
    }

    // ---- real requests

    @Test
    void notFoundAndPreconditionFailedComeFromTheEmulator() {
        Store store = FakeGcsStores.fixture().store();
        Location missing = FakeGcsStores.newScratchLocation().resolve("missing");
        assertThat(kindOf(() -> store.read(missing))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> store.write(existing, bytes("y"), PutMode.CREATE)))
                .isEqualTo(ErrorKind.PRECONDITION_FAILED);
        String version = store.stat(existing).orElseThrow().version().orElseThrow();
        assertThat(kindOf(() -> store.read(existing, GetOptions.version(Long.toString(Long.parseLong(version) - 1)))))
                .isEqualTo(ErrorKind.PRECONDITION_FAILED);
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource({
        "429, rateLimitExceeded, THROTTLED",
        "503, backendError, THROTTLED",
        "500, backendError, TRANSIENT",
        "502, badGateway, TRANSIENT",
        "401, required, UNAUTHENTICATED",
        "403, forbidden, PERMISSION_DENIED",
        "409, conflict, CONFLICT",
        "400, invalid, INVALID_INPUT",
    })
    void statusesAnsweredToRealRequestsBecomeTheirKind(int status, String reason, ErrorKind kind) {
        RecordingConnections http = RecordingConnections.answeringFirst(100, u -> u.contains("/o/"), status, reason);
        try (Store store = Store.of(FakeGcsStores.open(FAST.with("gcs.retry.maxAttempts", "2"), http))) {
            assertThatThrownBy(() -> store.stat(existing))
                    .isInstanceOfSatisfying(StoreException.class, e -> {
                        assertThat(e.kind()).isEqualTo(kind);
                        assertThat(e.getMessage()).contains(existing.toString()).contains("HTTP " + status);
                    });
        }
        // Retryable kinds were tried twice, the others once.
        assertThat(100 - http.failuresLeft()).isEqualTo(kind.retryable() ? 2 : 1);
    }

    @Test
    void aThrottledRequestIsRetriedAndThenSucceeds() {
        RecordingConnections http = RecordingConnections.answeringFirst(2, u -> u.contains("/o/"), 503, "backendError");
        try (Store store = Store.of(FakeGcsStores.open(FAST.with("gcs.retry.maxAttempts", "3"), http))) {
            assertThat(store.stat(existing)).isPresent();
        }
        assertThat(http.failuresLeft()).isZero();
    }

    @Test
    void aConnectionResetIsTransient() {
        RecordingConnections http = RecordingConnections.failingFirst(100, u -> u.contains("/o/"));
        try (Store store = Store.of(FakeGcsStores.open(FAST.with("gcs.retry.maxAttempts", "2"), http))) {
            assertThat(kindOf(() -> store.stat(existing))).isEqualTo(ErrorKind.TRANSIENT);
        }
    }

    @Test
    void aFailingMediaRequestFailsTheStreamWithAnIOExceptionCarryingTheKind() throws IOException {
        RecordingConnections http = RecordingConnections.answeringFirst(100, u -> u.contains("alt=media"), 503,
                "backendError");
        try (Store store = Store.of(FakeGcsStores.open(FAST.with("gcs.retry.maxAttempts", "2"), http));
                InputStream in = store.read(existing)) {
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).cause()
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.THROTTLED));
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheOperationDeadline() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                // Accept and hold every connection, never reading or answering.
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            StoreConfig config = StoreConfig.empty().with("gcs.endpoint", "http://127.0.0.1:" + silent.getLocalPort())
                    .with("gcs.credentials", "none").with("gcs.retry.maxAttempts", "5")
                    .with("gcs.retry.initialDelay", "PT0.01S").with("gcs.retry.maxDelay", "PT0.02S")
                    .with("gcs.timeout.operation", "PT0.5S");
            try (Store store = Store.open(Location.parse("gs://" + FakeGcsStores.BUCKET + "/x"), config)) {
                long started = System.nanoTime();
                StoreException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    try {
                        store.stat(Location.parse("gs://" + FakeGcsStores.BUCKET + "/x/obj"));
                    } catch (StoreException thrown) {
                        return thrown;
                    }
                    throw new AssertionError("a server that never answers cannot succeed");
                });
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(e.retryable()).isTrue();
                // The attempt timeout is capped at the operation's (0.5 s), and no attempt starts after the deadline;
                // without that, five attempts of the default 30 s would run. The bound leaves room for a loaded machine.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            }
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void anInterruptedThreadGetsInterruptedAndKeepsItsStatus() {
        Store store = FakeGcsStores.fixture().store();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> store.stat(existing)).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERRUPTED));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThatThrownBy(() -> store.write(existing.sibling("other"), bytes("x"), PutMode.CREATE))
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERRUPTED));
        } finally {
            assertThat(Thread.interrupted()).as("interrupt status after the calls").isTrue();
        }
        assertThat(store.stat(existing.sibling("other"))).as("nothing was sent").isEmpty();
    }
}
