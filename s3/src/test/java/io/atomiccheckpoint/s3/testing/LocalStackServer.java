package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.testkit.python.PythonEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LocalStack's S3 as a plain Python process (no Docker): the pinned {@code localstack-core} is installed into a
 * virtual environment by testkit's {@link PythonEnvironment} (the per-user emulator cache, keyed by {@link #VERSION}
 * and a hash of the pinned requirements,
 * {@code localstack/requirements.txt} on the test classpath) and reused afterwards. Each server runs
 * {@code SERVICES=s3} on the hypercorn gateway bound to 127.0.0.1 on a free port, with its temporary and state
 * directories in a fresh directory of its own, and is stopped, with every process it started, when the JVM exits.
 *
 * <p>LocalStack's default gateway was once seen listening on all interfaces for a few seconds before it settled,
 * so the launcher does not take the configuration's word for it: while it waits for the server and once more when
 * it is ready, it reads the listening sockets of the server's processes from {@code /proc} and fails if any is
 * bound beyond loopback.
 *
 * <p>It needs CPython 3.13 (3.11 cannot import this LocalStack), found as {@link PythonEnvironment} says. If none
 * is found, the install fails, or the
 * server does not start, {@link #shared()} throws with the reason and the tail of the log: the tests fail, they
 * never skip.
 */
public final class LocalStackServer implements AutoCloseable {
    /** The LocalStack release the tests run against ({@code localstack-core} on PyPI). */
    public static final String VERSION = "2026.3.0";
    /** The pinned requirements, on the test classpath. */
    static final String REQUIREMENTS = "/localstack/requirements.txt";

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackServer.class);
    private static final long START_TIMEOUT_SECONDS = 90;
    /** How often the listening sockets are checked while the server starts. */
    private static final long SOCKET_CHECK_MILLIS = 50;
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 60;
    private static LocalStackServer shared;

    private final Process process;
    private final Path workDir;
    private final int port;
    private final Deque<String> recentOutput;

    private LocalStackServer(Process process, Path workDir, int port, Deque<String> recentOutput) {
        this.process = process;
        this.workDir = workDir;
        this.port = port;
        this.recentOutput = recentOutput;
    }

    /** The server for this JVM, installed and started on first use with {@code buckets}, stopped at JVM exit. */
    public static synchronized LocalStackServer shared(List<String> buckets) {
        if (shared == null || !shared.process.isAlive()) {
            LocalStackServer started = start(buckets);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "localstack-stop"));
            shared = started;
        }
        return shared;
    }

    /** Installs LocalStack if needed and starts a fresh server with {@code buckets}; the caller closes it. */
    public static LocalStackServer start(List<String> buckets) {
        Path python = ensureInstalled();
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                LocalStackServer server = startOnce(python);
                try {
                    server.createBuckets(buckets);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
                return server;
            } catch (PortTakenException e) {
                // The free port was taken between choosing and binding it; try another.
                last = e;
            }
        }
        throw last;
    }

    /** The endpoint URL for {@code s3.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    // ---------------------------------------------------------------------------------------------- install

    /** The pinned environment: {@code localstack/requirements.txt}, checked by importing the S3 provider. */
    private static final PythonEnvironment ENVIRONMENT = new PythonEnvironment("LocalStack " + VERSION + " for the S3"
            + " tests", "localstack-" + VERSION, PythonEnvironment.requirementsResource(LocalStackServer.class,
                    REQUIREMENTS),
            // The server imports its S3 provider lazily; a broken dependency would only show at the first request.
            "import localstack.aws.components, localstack.services.s3.provider");

    /** Where this version is installed: the emulator cache, keyed by the version and the requirements' hash. */
    public static Path installDir() {
        return ENVIRONMENT.installDir();
    }

    /** The virtual environment's Python, installing LocalStack first unless the cache has it. */
    public static Path ensureInstalled() {
        return ENVIRONMENT.python();
    }

    // ------------------------------------------------------------------------------------------------ start

    /** The port was taken by someone else between choosing it and LocalStack binding it. */
    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }

    private static LocalStackServer startOnce(Path python) {
        long started = System.nanoTime();
        Path workDir;
        int port;
        try {
            workDir = Files.createTempDirectory("localstack-");
            for (String sub : List.of("tmp", "filesystem", "volume", "config")) {
                Files.createDirectories(workDir.resolve(sub));
            }
            port = freePort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a directory or port for LocalStack: " + e, e);
        }
        List<String> command = List.of(python.toString(), "-m", "localstack.runtime.main");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // Only what LocalStack needs: nothing of the caller's AWS_*, DEBUG, PERSISTENCE or GATEWAY_* settings.
        String path = env.get("PATH");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        env.put("HOME", workDir.resolve("config").toString());
        env.put("LANG", "C.UTF-8");
        env.put("TMPDIR", workDir.resolve("tmp").toString());
        env.put("FILESYSTEM_ROOT", workDir.resolve("filesystem").toString());
        env.put("LOCALSTACK_VOLUME_DIR", workDir.resolve("volume").toString());
        env.put("CONFIG_DIR", workDir.resolve("config").toString());
        env.put("PERSISTENCE", "0");
        env.put("SERVICES", "s3");
        env.put("EAGER_SERVICE_LOADING", "1");
        env.put("GATEWAY_LISTEN", "127.0.0.1:" + port);
        env.put("GATEWAY_SERVER", "hypercorn");
        env.put("DNS_ADDRESS", "0");
        env.put("DISABLE_EVENTS", "1");
        env.put("LOCALSTACK_TELEMETRY", "0");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("SKIP_SSL_CERT_DOWNLOAD", "1");
        env.put("PYTHONUNBUFFERED", "1");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            deleteRecursively(workDir);
            throw new IllegalStateException("cannot start LocalStack (" + String.join(" ", command) + "): " + e, e);
        }
        Deque<String> recent = new ArrayDeque<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, workDir.resolve("localstack.log"), recent, ready),
                "localstack-output");
        pump.setDaemon(true);
        pump.start();
        LocalStackServer server = new LocalStackServer(process, workDir, port, recent);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            while (true) {
                // Checked while it starts, not only once it is ready: a wildcard listener may be short-lived.
                server.checkLoopbackOnly();
                try {
                    ready.get(SOCKET_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("LocalStack did not print \"Ready.\" within "
                                + START_TIMEOUT_SECONDS + " s");
                    }
                }
            }
            server.checkLoopbackOnly();
            if (!server.listeningPorts().contains(port)) {
                throw new IllegalStateException("LocalStack is ready but does not listen on 127.0.0.1:" + port);
            }
            server.checkHealth();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            throw new IllegalStateException("interrupted while starting LocalStack", e);
        } catch (ExecutionException | RuntimeException | IOException e) {
            String output = server.recentOutput();
            server.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String message = "LocalStack " + VERSION + " (" + String.join(" ", command) + ", GATEWAY_LISTEN=127.0.0.1:"
                    + port + ") did not start: " + cause.getMessage() + "; its last output:\n" + output;
            if (output.contains("Address already in use") || output.contains("address already in use")) {
                throw new PortTakenException(message);
            }
            throw new IllegalStateException(message, cause);
        }
        LOG.info("LocalStack {} S3 listening on 127.0.0.1:{} after {} ms (dir {})", VERSION, port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), workDir);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Copies the child's output into its log, keeps the tail for messages, and spots "Ready.". */
    private static void pump(Process process, Path log, Deque<String> recent, CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (recent) {
                    recent.addLast(line);
                    if (recent.size() > LOG_TAIL_LINES) {
                        recent.removeFirst();
                    }
                }
                if (line.trim().equals("Ready.")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("LocalStack exited"
                + (process.isAlive() ? "" : " with status " + process.exitValue()) + " before it was ready"));
    }

    private String recentOutput() {
        synchronized (recentOutput) {
            return String.join("\n", recentOutput);
        }
    }

    /** GET /_localstack/health must answer 200 and report S3 available or running. */
    private void checkHealth() throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/_localstack/health").toURL()
                .openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        try {
            int status = c.getResponseCode();
            String body = new String((status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
            if (status != 200 || !(body.contains("\"s3\": \"available\"") || body.contains("\"s3\": \"running\"")
                    || body.contains("\"s3\":\"available\"") || body.contains("\"s3\":\"running\""))) {
                throw new IOException("GET /_localstack/health answered HTTP " + status + ": " + body);
            }
        } finally {
            c.disconnect();
        }
    }

    /** Creates each bucket with an unsigned PUT (LocalStack accepts any credentials, and none). */
    private void createBuckets(List<String> buckets) {
        for (String bucket : buckets) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/" + bucket).toURL()
                        .openConnection();
                c.setRequestMethod("PUT");
                c.setConnectTimeout(5_000);
                c.setReadTimeout(30_000);
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(0);
                c.getOutputStream().close();
                int status = c.getResponseCode();
                c.disconnect();
                if (status != 200) {
                    throw new IllegalStateException("LocalStack answered HTTP " + status + " to creating bucket "
                            + bucket);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot create bucket " + bucket + " on LocalStack at " + endpoint()
                        + ": " + e + "; its last output:\n" + recentOutput(), e);
            }
        }
    }

    // -------------------------------------------------------------------------------------- loopback check

    /**
     * Fails if a process of the server's tree has a listening TCP socket, or a bound unconnected UDP socket,
     * on an address other than 127.0.0.1 or ::1: the wildcard addresses above all (read from {@code /proc}; on a
     * system without it, fails too, since nothing could then be checked).
     */
    void checkLoopbackOnly() throws IOException {
        List<String> offending = boundSockets(process.toHandle()).stream().filter(s -> !s.loopback()).map(Socket::toString)
                .collect(Collectors.toList());
        if (!offending.isEmpty()) {
            throw new IllegalStateException("LocalStack listens on an address other than 127.0.0.1: " + offending
                    + "; everything in the tests must bind 127.0.0.1 only");
        }
    }

    /** The TCP ports the server's processes listen on. */
    Set<Integer> listeningPorts() throws IOException {
        return boundSockets(process.toHandle()).stream().filter(s -> s.protocol.startsWith("tcp")).map(s -> s.port)
                .collect(Collectors.toSet());
    }

    /** One listening (TCP) or bound unconnected (UDP) socket; the address as /proc prints it (hex). */
    public record Socket(String protocol, String address, int port) {
        /** Bound to 127.0.0.1 or ::1 exactly (or ::ffff:127.0.0.1), nothing else of 127.0.0.0/8 either. */
        public boolean loopback() {
            return address.equals("0100007F") || address.equals("00000000000000000000000001000000")
                    || address.equals("0000000000000000FFFF00000100007F");
        }

        @Override
        public String toString() {
            return protocol + " " + (address.length() == 8 ? ipv4(address) : address) + ":" + port;
        }

        private static String ipv4(String hex) {
            // /proc prints the address in host byte order (little-endian on the machines this runs on).
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
    }

    /** The listening TCP and bound unconnected UDP sockets of {@code root} and its descendants, from /proc. */
    public static List<Socket> boundSockets(ProcessHandle root) throws IOException {
        if (!Files.isDirectory(Path.of("/proc/net"))) {
            throw new IOException("no /proc/net: cannot check which addresses a process listens on");
        }
        Set<String> inodes = new HashSet<>();
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        for (ProcessHandle p : tree) {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
                for (Path fd : entries) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // The descriptor was closed while the directory was read.
                    }
                }
            } catch (IOException exited) {
                // The process exited meanwhile; the pump reports that.
            }
        }
        List<Socket> out = new ArrayList<>();
        for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path table = Path.of("/proc/net", protocol);
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !inodes.contains(f[9])) {
                    continue;
                }
                String state = f[3];
                // TCP LISTEN is 0A; an unconnected UDP socket is 07 (a connected one has a remote address).
                boolean bound = protocol.startsWith("tcp") ? state.equals("0A")
                        : state.equals("07") && f[2].matches("0+:0000");
                if (bound) {
                    String[] local = f[1].split(":");
                    out.add(new Socket(protocol, local[0], Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------- stop

    /** Stops the server and every process it started, then deletes its directory. */
    @Override
    public void close() {
        destroyTree(process);
        deleteRecursively(workDir);
    }

    private static void destroyTree(Process process) {
        List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            // LocalStack's own shutdown, on SIGTERM, was seen to hang for more than 20 s; nothing of it is kept.
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }

    @Override
    public String toString() {
        return "LocalStack " + VERSION + " at " + endpoint();
    }
}
