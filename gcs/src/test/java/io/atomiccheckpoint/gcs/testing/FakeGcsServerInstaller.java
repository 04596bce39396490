package io.atomiccheckpoint.gcs.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the pinned fake-gcs-server binary exists in the user's cache, building it with
 * {@code go install} from the Go module proxy when it is missing. A missing Go toolchain or a failed build is
 * an error carrying the command's output: the GCS tests must fail loudly rather than skip.
 */
public final class FakeGcsServerInstaller {
    /** The pinned emulator version (builds with Go 1.26). */
    public static final String VERSION = "v1.56.1";
    static final String MODULE = "github.com/fsouza/fake-gcs-server";

    private static final Logger LOG = LoggerFactory.getLogger(FakeGcsServerInstaller.class);
    private static final long INSTALL_TIMEOUT_MINUTES = 15;

    private FakeGcsServerInstaller() {
    }

    /** The cache directory holding the binary of {@link #VERSION}. */
    public static Path cacheDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "atomic-checkpoint", "emulators",
                "fake-gcs-server-" + VERSION);
    }

    /** The path of the emulator binary, installing it first if needed. */
    public static synchronized Path ensureInstalled() {
        Path dir = cacheDirectory();
        Path binary = dir.resolve("fake-gcs-server");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        String go = findGo();
        long started = System.nanoTime();
        Path staging = null;
        try {
            Files.createDirectories(dir);
            // Build into a private directory, then move into place, so a parallel build never sees half a file.
            staging = Files.createTempDirectory(dir, "install-");
            List<String> command = List.of(go, "install", MODULE + "@" + VERSION);
            ProcessBuilder pb = new ProcessBuilder(command).directory(staging.toFile());
            pb.environment().put("GOBIN", staging.toString());
            pb.environment().put("GOFLAGS", "-mod=mod");
            pb.environment().put("GO111MODULE", "on");
            Path log = staging.resolve("install.log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = pb.start();
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish within "
                        + INSTALL_TIMEOUT_MINUTES + " minutes; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Path built = staging.resolve("fake-gcs-server");
            if (process.exitValue() != 0 || !Files.isExecutable(built)) {
                throw new IllegalStateException("cannot install the GCS emulator: '" + String.join(" ", command)
                        + "' (GOBIN=" + staging + ") exited with " + process.exitValue() + "; output:\n" + output);
            }
            Files.move(built, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("installed fake-gcs-server {} into {} in {} s", VERSION, dir,
                    String.format("%.1f", (System.nanoTime() - started) / 1e9));
            return binary;
        } catch (IOException e) {
            throw new IllegalStateException("cannot install the GCS emulator into " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the GCS emulator", e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static String findGo() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "go"));
                }
            }
        }
        String goroot = System.getenv("GOROOT");
        if (goroot != null) {
            candidates.add(Path.of(goroot, "bin", "go"));
        }
        candidates.add(Path.of("/usr/local/go/bin/go"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("cannot install the GCS emulator: the Go toolchain ('go') is not on PATH,"
                + " in $GOROOT/bin or /usr/local/go/bin; install Go 1.26 so that 'go install " + MODULE + "@"
                + VERSION + "' can build fake-gcs-server");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Leftover staging directories only cost disk space.
        }
    }
}
