package io.atomiccheckpoint.s3.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
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
 * virtual environment in the per-user cache on first use ({@code ~/.cache/atomic-checkpoint/emulators/}, or
 * {@code -Datomiccheckpoint.emulatorCache=DIR}), keyed by {@link #VERSION} and a hash of the pinned requirements
 * ({@code localstack/requirements.txt} on the test classpath), and reused afterwards. Each server runs
 * {@code SERVICES=s3} on the hypercorn gateway bound to 127.0.0.1 on a free port, with its temporary and state
 * directories in a fresh directory of its own, and is stopped, with every process it started, when the JVM exits.
 *
 * <p>LocalStack's default gateway was once seen listening on all interfaces for a few seconds before it settled,
 * so the launcher does not take the configuration's word for it: while it waits for the server and once more when
 * it is ready, it reads the listening sockets of the server's processes from {@code /proc} and fails if any is
 * bound beyond loopback.
 *
 * <p>It needs CPython 3.13 (3.11 cannot import this LocalStack): {@code -Datomiccheckpoint.python313=PATH}, else
 * the newest {@code ~/.pyenv/versions/3.13.x/bin/python3.13}, else {@code python3.13} on the PATH (only if it
 * runs: a pyenv shim of a version that is not selected does not). If none is found, the install fails, or the
 * server does not start, {@link #shared()} throws with the reason and the tail of the log: the tests fail, they
 * never skip.
 */
public final class LocalStackServer implements AutoCloseable {
    /** The LocalStack release the tests run against ({@code localstack-core} on PyPI). */
    public static final String VERSION = "2026.3.0";
    /** The pinned requirements, on the test classpath. */
    static final String REQUIREMENTS = "/localstack/requirements.txt";
    static final String PYTHON_PROPERTY = "atomiccheckpoint.python313";
    static final String CACHE_PROPERTY = "atomiccheckpoint.emulatorCache";

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackServer.class);
    private static final long INSTALL_TIMEOUT_MINUTES = 20;
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

    /** Where this version is installed: the emulator cache, keyed by the version and the requirements' hash. */
    public static Path installDir() {
        String root = System.getProperty(CACHE_PROPERTY);
        Path base = root != null ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "atomic-checkpoint", "emulators");
        return base.resolve("localstack-" + VERSION + "-" + requirementsHash());
    }

    private static byte[] requirements() {
        try (InputStream in = LocalStackServer.class.getResourceAsStream(REQUIREMENTS)) {
            if (in == null) {
                throw new IllegalStateException("the pinned LocalStack requirements " + REQUIREMENTS + " are not on"
                        + " the classpath (they are a test resource of the s3 module and in its test jar)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + REQUIREMENTS, e);
        }
    }

    private static String requirementsHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(requirements()), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The virtual environment's Python, installing LocalStack first unless the cache has it. A JVM-wide and
     * file lock keep parallel builds from installing into one directory at once; the marker file is written last,
     * so a half-finished install is removed and done again.
     */
    public static synchronized Path ensureInstalled() {
        Path dir = installDir();
        Path venvPython = dir.resolve("venv").resolve("bin").resolve("python");
        Path done = dir.resolve(".installed");
        if (Files.isExecutable(venvPython) && Files.exists(done)) {
            return venvPython;
        }
        try {
            Files.createDirectories(dir.getParent());
            try (FileChannel lockFile = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                if (!(Files.isExecutable(venvPython) && Files.exists(done))) {
                    deleteRecursively(dir);
                    Files.createDirectories(dir);
                    install(dir, findPython());
                    Files.writeString(done, VERSION + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the LocalStack install directory " + dir, e);
        }
        return venvPython;
    }

    private static void install(Path dir, Path python) throws IOException {
        long started = System.nanoTime();
        Path requirements = dir.resolve("requirements.txt");
        Files.write(requirements, requirements());
        Path log = dir.resolve("install.log");
        Path venv = dir.resolve("venv");
        run(List.of(python.toString(), "-m", "venv", venv.toString()), dir, log, "create a virtual environment");
        Path venvPython = venv.resolve("bin").resolve("python");
        run(List.of(venvPython.toString(), "-m", "pip", "install", "--no-input", "--disable-pip-version-check",
                "--require-virtualenv", "-r", requirements.toString()), dir, log, "install localstack-core " + VERSION);
        // The server imports its S3 provider lazily; a broken dependency would only show at the first request.
        run(List.of(venvPython.toString(), "-c", "import localstack.aws.components, localstack.services.s3.provider"),
                dir, log, "import LocalStack's S3 provider");
        LOG.info("installed LocalStack {} into {} in {} s", VERSION, dir,
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
    }

    /** Runs an install step, appending its output to {@code log}; fails with the log's tail. */
    private static void run(List<String> command, Path dir, Path log, String what) throws IOException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PIP_NO_PYTHON_VERSION_WARNING", "1");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot " + what + " for LocalStack " + VERSION + ": " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                destroyTree(process);
                throw new IllegalStateException("cannot " + what + " for LocalStack " + VERSION + ": '"
                        + String.join(" ", command) + "' did not finish within " + INSTALL_TIMEOUT_MINUTES
                        + " minutes; the end of " + log + ":\n" + tail(log));
            }
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing LocalStack " + VERSION, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("cannot " + what + " for LocalStack " + VERSION + ": '"
                    + String.join(" ", command) + "' exited with " + process.exitValue() + "; the end of " + log
                    + ":\n" + tail(log));
        }
    }

    /** CPython 3.13, from the system property, pyenv, or the PATH, in that order; checked to run. */
    static Path findPython() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty(PYTHON_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        Path pyenvVersions = Path.of(System.getenv().getOrDefault("PYENV_ROOT",
                Path.of(System.getProperty("user.home"), ".pyenv").toString()), "versions");
        if (Files.isDirectory(pyenvVersions)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(pyenvVersions, "3.13*")) {
                List<Path> found = new ArrayList<>();
                versions.forEach(v -> found.add(v.resolve("bin").resolve("python3.13")));
                // Newest patch release first: 3.13.10 before 3.13.9.
                found.sort(Comparator.comparing((Path p) -> patchOf(p.getParent().getParent().getFileName()
                        .toString())).reversed());
                candidates.addAll(found);
            } catch (IOException ignored) {
                // Then only the PATH is left.
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "python3.13"));
                }
            }
        }
        List<String> tried = new ArrayList<>();
        for (Path candidate : candidates) {
            if (!Files.isExecutable(candidate)) {
                continue;
            }
            String outcome = versionOf(candidate);
            if (outcome.equals("3.13")) {
                return candidate;
            }
            tried.add(candidate + " (" + outcome + ")");
        }
        throw new IllegalStateException("cannot install LocalStack " + VERSION + " for the S3 tests: it needs CPython"
                + " 3.13 and none was found (-D" + PYTHON_PROPERTY + "=" + configured + ", " + pyenvVersions
                + "/3.13*/bin/python3.13, python3.13 on the PATH" + (tried.isEmpty() ? "" : "; tried " + tried)
                + "). Install it, for example with 'pyenv install 3.13', or point -D" + PYTHON_PROPERTY + " at one.");
    }

    private static int patchOf(String version) {
        String[] parts = version.split("\\.");
        try {
            return parts.length > 2 ? Integer.parseInt(parts[2].replaceAll("\\D.*", "")) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "3.13" if {@code python} runs and is 3.13, else what went wrong. */
    private static String versionOf(Path python) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c",
                    "import sys; print('%d.%d' % sys.version_info[:2])").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "did not answer";
            }
            return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + lastLine(out);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for Python 3.13", e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines[lines.length - 1];
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

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
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
