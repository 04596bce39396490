package io.atomiccheckpoint.azure.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the pinned Azurite (npm) into a per-user cache on first use and runs its Blob service on loopback,
 * on a port the emulator picks itself, with a fresh data directory; stops it and deletes the data at JVM exit.
 * When npm or node is missing or the emulator cannot start, {@link #shared()} throws with the reason, so the
 * tests fail rather than skip.
 */
public final class AzuriteLauncher implements AutoCloseable {
    /** The Azurite release the tests run against. */
    public static final String VERSION = "3.37.0";
    /** Azurite's well-known development account and its published key (not a secret). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Logger LOG = LoggerFactory.getLogger(AzuriteLauncher.class);
    private static final Pattern LISTENING = Pattern.compile("Blob service successfully listens on https?://[^:]+:(\\d+)");
    private static final long INSTALL_TIMEOUT_MINUTES = 10;
    private static final long START_TIMEOUT_SECONDS = 60;
    private static AzuriteLauncher shared;

    private final Process process;
    private final Path dataDir;
    private final int port;

    private AzuriteLauncher(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The emulator for this JVM, installed and started on first call. */
    public static synchronized AzuriteLauncher shared() {
        if (shared == null) {
            AzuriteLauncher started = start(ensureInstalled());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "azurite-stop"));
            shared = started;
        }
        return shared;
    }

    /** The Blob service endpoint, path-style with the account, as the SDK expects for emulators. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public int port() {
        return port;
    }

    /** A connection string for the development account on this emulator. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** Where Azurite is installed: {@code -Datomiccheckpoint.emulatorCache=DIR} or the user's cache. */
    public static Path installDir() {
        String root = System.getProperty("atomiccheckpoint.emulatorCache");
        Path base = root != null ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "atomic-checkpoint", "emulators");
        return base.resolve("azurite-" + VERSION);
    }

    /** Installs Azurite with npm unless the cache already has it; returns the {@code azurite-blob} launcher. */
    public static Path ensureInstalled() {
        Path dir = installDir();
        Path bin = dir.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
        Path done = dir.resolve(".installed");
        if (Files.isExecutable(bin) && Files.exists(done)) {
            return bin;
        }
        try {
            Files.createDirectories(dir);
            // Several JVMs (modules built in parallel) may want it at once; npm into one prefix must not race.
            try (FileChannel lockFile = FileChannel.open(dir.resolveSibling("azurite-" + VERSION + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = lockFile.lock();
                if (!(Files.isExecutable(bin) && Files.exists(done))) {
                    npmInstall(dir);
                    if (!Files.isExecutable(bin)) {
                        throw new IllegalStateException("npm install of azurite@" + VERSION + " into " + dir
                                + " finished but " + bin + " is missing");
                    }
                    Files.writeString(done, VERSION + "\n");
                }
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Azurite install directory " + dir, e);
        }
        return bin;
    }

    private static void npmInstall(Path dir) throws IOException {
        List<String> command = List.of("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                "azurite@" + VERSION);
        LOG.info("installing Azurite {} into {}: {}", VERSION, dir, String.join(" ", command));
        long t0 = System.nanoTime();
        Path log = Files.createTempFile("azurite-npm-install", ".log");
        Process npm;
        try {
            npm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm to install the Azure emulator (azurite@" + VERSION
                    + "): is Node.js 20+ with npm on the PATH? " + e.getMessage(), e);
        }
        try {
            if (!npm.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install azurite@" + VERSION + " did not finish in "
                        + INSTALL_TIMEOUT_MINUTES + " minutes; output:\n" + tail(log));
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing Azurite", e);
        }
        if (npm.exitValue() != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' failed with exit code "
                    + npm.exitValue() + "; output:\n" + tail(log));
        }
        LOG.info("installed Azurite {} in {} ms", VERSION, (System.nanoTime() - t0) / 1_000_000);
        Files.deleteIfExists(log);
    }

    private static AzuriteLauncher start(Path bin) {
        long t0 = System.nanoTime();
        Path dataDir;
        Process process;
        try {
            dataDir = Files.createTempDirectory("azurite-data");
            // Port 0: the emulator binds a free port itself and prints it, so no other process can take it first.
            process = new ProcessBuilder(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                    "--location", dataDir.toString(), "--skipApiVersionCheck", "--silent", "--disableTelemetry")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + bin + " (is node on the PATH?): " + e.getMessage(), e);
        }
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Deque<String> recent = new ArrayDeque<>();
        Thread reader = new Thread(() -> pump(process, port, recent), "azurite-output");
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(() -> port.completeExceptionally(
                new IllegalStateException("Azurite exited with code " + process.exitValue() + " before listening")));
        try {
            int p = port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Azurite {} blob service listening on 127.0.0.1:{} after {} ms (data in {})", VERSION, p,
                    (System.nanoTime() - t0) / 1_000_000, dataDir);
            return new AzuriteLauncher(process, dataDir, p);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String output;
            synchronized (recent) {
                output = String.join("\n", recent);
            }
            String reason = e instanceof TimeoutException ? "did not report listening within "
                    + START_TIMEOUT_SECONDS + " s" : String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
            throw new IllegalStateException("Azurite " + VERSION + " (" + bin + ") failed to start: " + reason
                    + "; output:\n" + output, e);
        }
    }

    private static void pump(Process process, CompletableFuture<Integer> port, Deque<String> recent) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (recent) {
                    recent.addLast(line);
                    if (recent.size() > 50) {
                        recent.removeFirst();
                    }
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the emulator and deletes its data directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete Azurite data directory {}: {}", dataDir, e.getMessage());
        }
    }
}
