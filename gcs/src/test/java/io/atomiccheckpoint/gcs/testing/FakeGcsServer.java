package io.atomiccheckpoint.gcs.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake-gcs-server process on loopback, on a free port, with its own temporary directory (working
 * directory and log). One instance serves the whole JVM ({@link #shared()}) and a shutdown hook stops it.
 *
 * <p>It runs the memory backend: the filesystem backend cannot hold an object {@code a} next to objects
 * below {@code a/} (a file cannot also be a directory), gives every object a timestamp as its generation and
 * cannot serve a requested generation, all of which the store's tests rely on. Nothing needs to outlive the
 * process, so memory loses nothing.
 */
public final class FakeGcsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeGcsServer.class);
    private static final int START_ATTEMPTS = 3;
    private static final long START_TIMEOUT_SECONDS = 30;
    private static FakeGcsServer shared;

    private final Process process;
    private final Path workDir;
    private final int port;
    private final Deque<String> recentOutput = new ArrayDeque<>();

    private FakeGcsServer(Process process, Path workDir, int port) {
        this.process = process;
        this.workDir = workDir;
        this.port = port;
    }

    /** The emulator for this JVM, installed and started on first use, stopped when the JVM exits. */
    public static synchronized FakeGcsServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            FakeGcsServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fake-gcs-server-stop"));
        }
        return shared;
    }

    /** Installs the binary if needed and starts a fresh emulator; the caller closes it. */
    public static FakeGcsServer start() {
        Path binary = FakeGcsServerInstaller.ensureInstalled();
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(binary);
            } catch (IllegalStateException e) {
                // The free port may have been taken between choosing and binding it; try another.
                last = e;
            }
        }
        throw last;
    }

    private static FakeGcsServer startOnce(Path binary) {
        long started = System.nanoTime();
        Path workDir;
        int port;
        try {
            workDir = Files.createTempDirectory("fake-gcs-server-");
            port = freePort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the GCS emulator's directory or port: " + e, e);
        }
        String address = "127.0.0.1:" + port;
        List<String> command = List.of(binary.toString(), "-scheme", "http", "-host", "127.0.0.1",
                "-port", Integer.toString(port), "-backend", "memory",
                // Resumable uploads continue at the Location header the emulator returns: make it this address.
                "-public-host", address, "-external-url", "http://" + address, "-log-level", "info");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the GCS emulator " + binary + ": " + e, e);
        }
        FakeGcsServer server = new FakeGcsServer(process, workDir, port);
        CompletableFuture<Void> ready = server.pumpOutput();
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            server.checkResponds();
        } catch (TimeoutException | ExecutionException | IOException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("the GCS emulator (" + String.join(" ", command) + ") did not start: "
                    + e + "; its last output:\n" + server.recentOutput(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            throw new IllegalStateException("interrupted while starting the GCS emulator", e);
        }
        LOG.info("fake-gcs-server {} started at http://{} in {} ms (dir {})", FakeGcsServerInstaller.VERSION, address,
                (System.nanoTime() - started) / 1_000_000, workDir);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Copies the emulator's output into its log file; completes when it reports that it listens. */
    private CompletableFuture<Void> pumpOutput() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer log = Files.newBufferedWriter(workDir.resolve("fake-gcs-server.log"), StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.write(line);
                    log.write('\n');
                    remember(line);
                    if (line.contains("server started at")) {
                        log.flush();
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the emulator exited"
                    + (process.isAlive() ? "" : " with status " + process.exitValue())));
        }, "fake-gcs-server-output");
        pump.setDaemon(true);
        pump.start();
        return ready;
    }

    private synchronized void remember(String line) {
        recentOutput.addLast(line);
        if (recentOutput.size() > 40) {
            recentOutput.removeFirst();
        }
    }

    private synchronized String recentOutput() {
        return String.join("\n", recentOutput);
    }

    private void checkResponds() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/storage/v1/b").toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        int status = connection.getResponseCode();
        connection.disconnect();
        if (status != 200) {
            throw new IOException("GET /storage/v1/b answered HTTP " + status);
        }
    }

    /** The URL to use as {@code gcs.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var walk = Files.walk(workDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }
}
