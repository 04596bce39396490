package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.azure.testing.AzuriteLauncher;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every operation ends against a server that accepts connections and never answers (a {@link ServerSocket} on
 * 127.0.0.1 that only accepts): once by {@code azure.timeout.attempt} with a long operation deadline, once by
 * {@code azure.timeout.operation} with an attempt timeout longer than the test. Either way the failure is
 * {@link ErrorKind#TIMEOUT} well within a bound; without the fix, stat, list, copy and commit waited for the
 * HTTP client's default timeouts on every attempt.
 */
class NeverAnsweringServerTest {
    /** Far more than either deadline below, far less than what a hang would take. */
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Location CONTAINER = Location.parse("az://silent");

    private static ServerSocket server;
    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    // Held open and never read from or written to: the request is sent, no answer ever comes.
                    HELD.add(server.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "never-answering-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        for (Socket s : HELD) {
            s.close();
        }
    }

    private static Store store(String attemptTimeout, String operationTimeout, Map<String, String> extra) {
        String endpoint = "http://127.0.0.1:" + server.getLocalPort() + "/" + AzuriteLauncher.ACCOUNT;
        StoreConfig config = StoreConfig.of(Map.of(
                "azure.connectionString", "DefaultEndpointsProtocol=http;AccountName=" + AzuriteLauncher.ACCOUNT
                        + ";AccountKey=" + AzuriteLauncher.ACCOUNT_KEY + ";BlobEndpoint=" + endpoint + ";",
                "azure.retry.maxAttempts", "2",
                "azure.retry.delay", "PT0.01S",
                "azure.retry.maxDelay", "PT0.02S",
                "azure.timeout.attempt", attemptTimeout,
                "azure.timeout.operation", operationTimeout));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return Store.of(AzureBlobObjectStore.open(config));
    }

    /** What each operation does, and the settings that send it down the intended path. */
    private static Map<String, String> settingsFor(String operation) {
        switch (operation) {
            case "put-staged":
                return Map.of("azure.upload.singleMaxBytes", "4", "azure.upload.blockBytes", "4");
            case "copy-async":
                return Map.of("azure.syncCopyMaxBytes", "0", "azure.copy.pollInterval", "PT0.01S");
            default:
                return Map.of();
        }
    }

    private static void run(Store store, String operation) throws Exception {
        Location loc = CONTAINER.resolve("dir/object");
        ObjectInfo listed = new ObjectInfo(loc.key(), 10, "0x8DEADBEEF", Map.of(), Instant.now());
        switch (operation) {
            case "stat":
                store.stat(loc);
                break;
            case "list":
                store.list(CONTAINER.resolve("dir")).count();
                break;
            case "get":
                try (InputStream in = store.read(loc, GetOptions.range(0, 5))) {
                    in.readAllBytes();
                }
                break;
            case "put":
            case "put-staged":
                store.write(loc, new byte[10], PutMode.CREATE);
                break;
            case "copy-pinned":
            case "copy-async":
                store.copy(loc, loc.sibling("copy"), CopyOptions.pinnedTo(listed, PutMode.CREATE));
                break;
            case "copy-unpinned":
                store.copy(loc, loc.sibling("copy"), PutMode.OVERWRITE);
                break;
            case "delete":
                store.delete(loc);
                break;
            case "commit":
                // A resume: its first request reads the attempt lease, which never answers.
                new PrefixCopyCommit(store).fromTemporary(CONTAINER.resolve("step_1.orbax-checkpoint-tmp"))
                        .commitBlocking();
                break;
            default:
                throw new IllegalArgumentException(operation);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stat", "list", "get", "put", "put-staged", "copy-pinned", "copy-unpinned", "copy-async",
        "delete", "commit"})
    void theAttemptTimeoutEndsEachAttempt(String operation) {
        assertTimesOut(operation, "PT0.2S", "PT5M");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stat", "list", "get", "put", "put-staged", "copy-pinned", "copy-unpinned", "copy-async",
        "delete", "commit"})
    void theOperationTimeoutEndsTheOperation(String operation) {
        assertTimesOut(operation, "PT5M", "PT0.5S");
    }

    private static void assertTimesOut(String operation, String attemptTimeout, String operationTimeout) {
        try (Store store = store(attemptTimeout, operationTimeout, settingsFor(operation))) {
            Throwable failure = assertTimeoutPreemptively(BOUND, () -> catchThrowable(() -> run(store, operation)));
            assertThat(failure).as(operation).isNotNull();
            assertThat(timeoutIn(failure)).as("a TIMEOUT in %s", failure).isTrue();
        }
    }

    private static boolean timeoutIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AtomicCheckpointException && ((AtomicCheckpointException) t).kind() == ErrorKind.TIMEOUT) {
                return true;
            }
        }
        return false;
    }
}
