package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.LocalServers;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.ResponseRewriter;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Every kind of error the S3 store can raise, each from a real request: S3Mock's own answers (not found, refused
 * conditions), S3Mock's answers rewritten to the status and code Amazon S3 sends (throttling, server errors,
 * conflicts, permissions, credentials, per-key delete errors), and local servers that never answer (timeouts,
 * interrupts) or cut a body short (stream failures). {@link S3ErrorsTest} checks the table itself.
 */
class S3ErrorKindsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A store on S3Mock with one attempt per request and {@code rewriter} on its client. */
    private static Store withRewriter(ExecutionInterceptor rewriter, RecordingInterceptor wire) {
        return Store.of(S3ObjectStore.builder().config(S3MockStores.config().with("s3.retry.maxAttempts", "1"))
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(rewriter)
                        .addExecutionInterceptor(wire))).build());
    }

    private static void assertKind(ThrowingCallable call, ErrorKind kind) {
        assertThatThrownBy(call).isInstanceOf(AtomicCheckpointException.class)
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).as(e.toString()).isEqualTo(kind));
    }

    @Test
    void missingObjectsAreNotFound() {
        Store store = S3MockStores.fixture().store();
        Location root = S3MockStores.newScratchLocation();
        assertThatThrownBy(() -> store.read(root.resolve("missing"))).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.copy(root.resolve("missing"), root.resolve("t"), PutMode.OVERWRITE))
                .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(root.resolve("missing").toString());
        assertKind(() -> store.write(Location.parse("s3://no-such-bucket-here/x"), bytes("x"), PutMode.OVERWRITE),
                ErrorKind.NOT_FOUND);
    }

    @Test
    void refusedConditionsArePreconditionFailed() {
        Store store = S3MockStores.fixture().store();
        Location loc = S3MockStores.newScratchLocation().resolve("obj");
        ObjectInfo first = store.write(loc, bytes("one"), PutMode.CREATE);
        assertThatThrownBy(() -> store.write(loc, bytes("two"), PutMode.CREATE))
                .isInstanceOf(PreconditionFailedException.class);
        store.write(loc, bytes("two"), PutMode.OVERWRITE);
        assertThatThrownBy(() -> store.write(loc, bytes("three"), PutMode.update(first.version().orElseThrow())))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> store.read(loc, GetOptions.version(first.version().orElseThrow())))
                .isInstanceOf(PreconditionFailedException.class);
    }

    /** Throttling, server errors and the rarer kinds, each as the status and code S3 sends. */
    @Test
    void slowDownAnd429AreThrottled5xxTransientAndTheRestAsTheTableSays() {
        Location root = S3MockStores.newScratchLocation();
        for (Object[] c : new Object[][] {{503, "SlowDown", ErrorKind.THROTTLED}, {429, "TooManyRequests",
                ErrorKind.THROTTLED}, {500, "InternalError", ErrorKind.TRANSIENT}, {502, "BadGateway",
                ErrorKind.TRANSIENT}, {400, "BadDigest", ErrorKind.CORRUPT}, {501, "NotImplemented",
                ErrorKind.NOT_SUPPORTED}, {400, "InvalidArgument", ErrorKind.INVALID_INPUT}, {418, "Teapot",
                ErrorKind.UNKNOWN}}) {
            Location loc = root.resolve("obj-" + c[1]);
            try (Store store = withRewriter(ResponseRewriter.error("PutObject", loc.key(), (int) c[0], (String) c[1]),
                    new RecordingInterceptor())) {
                assertThatThrownBy(() -> store.write(loc, bytes("x"), PutMode.OVERWRITE))
                        .hasMessageContaining((String) c[1]).hasMessageContaining("TEST-REQUEST")
                        .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(c[2]));
            }
        }
    }

    @Test
    void deniedAndUnauthenticatedRequestsSayWhich() {
        Location root = S3MockStores.newScratchLocation();
        for (Object[] c : new Object[][] {{403, "AccessDenied", ErrorKind.PERMISSION_DENIED},
                {403, "InvalidAccessKeyId", ErrorKind.UNAUTHENTICATED},
                {403, "SignatureDoesNotMatch", ErrorKind.UNAUTHENTICATED},
                {400, "ExpiredToken", ErrorKind.UNAUTHENTICATED}}) {
            Location loc = root.resolve("obj-" + c[1]);
            try (Store store = withRewriter(ResponseRewriter.error("GetObject", loc.key(), (int) c[0], (String) c[1]),
                    new RecordingInterceptor())) {
                store.write(loc, bytes("x"), PutMode.OVERWRITE);
                assertKind(() -> store.readBytes(loc), (ErrorKind) c[2]);
            }
        }
    }

    /**
     * S3's 409 ConditionalRequestConflict says a concurrent request interfered before the condition was judged:
     * the store sends the conditional write again, a bounded number of times, then reports CONFLICT. An
     * unconditional write is not sent again.
     */
    @Test
    void aPersistentConditionalRequestConflictIsSentAgainThenConflict() {
        Location root = S3MockStores.newScratchLocation();
        RecordingInterceptor wire = new RecordingInterceptor();
        try (Store store = withRewriter(ResponseRewriter.error("PutObject", root.key(), 409,
                "ConditionalRequestConflict"), wire)) {
            assertKind(() -> store.write(root.resolve("marker"), bytes("m"), PutMode.CREATE), ErrorKind.CONFLICT);
            assertThat(wire.sent("PutObject", root.resolve("marker").key())).hasSize(S3Uploads.CONFLICT_ATTEMPTS);
            assertKind(() -> store.write(root.resolve("plain"), bytes("p"), PutMode.OVERWRITE), ErrorKind.CONFLICT);
            assertThat(wire.sent("PutObject", root.resolve("plain").key())).hasSize(1);
        }
    }

    /** DeleteObjects answers 200 with per-key errors; each gets its kind from the table, by code; retryable ones are retried alone. */
    @Test
    void perKeyDeleteErrorsCarryTheirKinds() {
        Location root = S3MockStores.newScratchLocation();
        Location denied = root.resolve("denied");
        Location busy = root.resolve("busy");
        Location gone = root.resolve("gone");
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult>"
                + "<Error><Key>" + denied.key() + "</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
                + "<Error><Key>" + busy.key() + "</Key><Code>InternalError</Code><Message>try again</Message></Error>"
                + "<Error><Key>" + gone.key() + "</Key><Code>NoSuchKey</Code><Message>none</Message></Error>"
                + "</DeleteResult>";
        RecordingInterceptor wire = new RecordingInterceptor();
        try (Store store = withRewriter(new ResponseRewriter((op, key) -> op.equals("DeleteObjects"), 200, body),
                wire)) {
            List<DeleteResult> results = store.deleteBatch(List.of(denied, busy, gone, root.resolve("fine")));
            // The InternalError key is deleted once more on its own (S3 asks for a retry the SDK cannot make inside
            // a successful DeleteObjects), and that single delete succeeds; AccessDenied is final.
            assertThat(results).extracting(DeleteResult::succeeded).containsExactly(false, true, true, true);
            assertThat(results.get(0).kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(results.get(0).error()).hasValueSatisfying(e -> assertThat(e).contains("AccessDenied"));
            assertThat(wire.sent("DeleteObject", busy.key())).hasSize(1);
            assertThat(wire.sent("DeleteObject", denied.key())).isEmpty();
        }
    }

    /**
     * A server that accepts and never answers: the operation ends at {@code s3.timeout.operation}, however long
     * an attempt may take, and a create-only write's probe and put share that one deadline.
     */
    @Test
    void aServerThatNeverAnswersTimesOutAtTheOperationDeadline() throws IOException {
        try (LocalServers.Silent silent = new LocalServers.Silent();
                Store store = Store.of(S3ObjectStore.open(LocalServers.config(silent.port())
                        .with("s3.timeout.operation", "PT1S").with("s3.timeout.attempt", "PT60S")
                        .with("s3.retry.maxAttempts", "3")))) {
            Location loc = Location.parse("s3://" + S3MockStores.BUCKET + "/never");
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertKind(() -> store.stat(loc), ErrorKind.TIMEOUT);
                assertKind(() -> store.write(loc, bytes("x"), PutMode.CREATE), ErrorKind.TIMEOUT);
                assertKind(() -> store.read(loc), ErrorKind.TIMEOUT);
            });
        }
    }

    /** An interrupt while waiting for S3 ends the call as INTERRUPTED and leaves the thread interrupted. */
    @Test
    void anInterruptWhileWaitingIsInterruptedAndKeepsTheStatus() throws Exception {
        try (LocalServers.Silent silent = new LocalServers.Silent();
                Store store = Store.of(S3ObjectStore.open(LocalServers.config(silent.port())
                        .with("s3.timeout.operation", "PT60S")))) {
            Location loc = Location.parse("s3://" + S3MockStores.BUCKET + "/never");
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    store.stat(loc);
                    outcome.complete(null);
                } catch (Throwable t) {
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                    outcome.complete(t);
                }
            }, "interrupted-caller");
            caller.start();
            assertThat(silent.awaitConnection(30, TimeUnit.SECONDS)).as("the request reached the server").isTrue();
            caller.interrupt();
            Throwable failure = outcome.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(StoreException.class).hasMessageContaining(loc.toString());
            assertThat(((StoreException) failure).kind()).isEqualTo(ErrorKind.INTERRUPTED);
            assertThat(stillInterrupted).isTrue();
        }
    }

    /** A body cut short: the stream fails with an IOException whose cause is the store's exception. */
    @Test
    void aStreamCutShortFailsWithAnIOExceptionCausedByAStoreException() throws Exception {
        try (LocalServers.HalfAnswer server = new LocalServers.HalfAnswer(1000, 10);
                Store store = Store.of(S3ObjectStore.open(LocalServers.config(server.port())))) {
            Location loc = Location.parse("s3://" + S3MockStores.BUCKET + "/cut");
            try (InputStream in = store.read(loc)) {
                assertThat(in.readNBytes(10)).hasSize(10);
                server.cut();
                assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(e.getCause()).isInstanceOf(StoreException.class)
                                .hasMessageContaining(loc.toString())
                                .satisfies(c -> assertThat(((StoreException) c).kind()).isEqualTo(ErrorKind.TRANSIENT)));
            }
        }
    }

    @Test
    void anUnknownSettingIsInvalidInputNamingTheKey() {
        StoreConfig config = S3MockStores.config().with("s3.retry.maxAtempts", "3");
        assertThatThrownBy(() -> Store.open(Location.parse("s3://" + S3MockStores.BUCKET + "/x"), config))
                .hasMessageContaining("s3.retry.maxAtempts")
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }
}
