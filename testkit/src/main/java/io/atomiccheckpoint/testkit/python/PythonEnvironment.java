package io.atomiccheckpoint.testkit.python;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pinned Python virtual environment that tests need (LocalStack for the S3 tests, Orbax for the interop tests),
 * installed with pip on CPython 3.13 into the per-user emulator cache on first use
 * ({@code ~/.cache/atomic-checkpoint/emulators/}, or {@code -Datomiccheckpoint.emulatorCache=DIR}), keyed by a name
 * and a hash of the pinned requirements, and reused afterwards. A JVM-wide and a file lock keep parallel builds from
 * installing into one directory at once; the {@code .installed} file is written last, so a half-finished install is
 * removed and done again.
 *
 * <p>CPython 3.13 comes from {@code -Datomiccheckpoint.python313=PATH}, else the newest
 * {@code ~/.pyenv/versions/3.13.x/bin/python3.13}, else {@code python3.13} on the PATH (only if it runs: a pyenv shim
 * of a version that is not selected does not). If none is found or the install or its import check fails,
 * {@link #python()} throws with the reason and the tail of the install log: the tests that need it fail, they never
 * skip.
 */
public final class PythonEnvironment {
    /** Points the tests at a CPython 3.13 executable. */
    public static final String PYTHON_PROPERTY = "atomiccheckpoint.python313";
    /** Moves the emulator cache. */
    public static final String CACHE_PROPERTY = "atomiccheckpoint.emulatorCache";

    private static final Logger LOG = LoggerFactory.getLogger(PythonEnvironment.class);
    private static final long INSTALL_TIMEOUT_MINUTES = 20;
    private static final int LOG_TAIL_LINES = 60;

    private final String description;
    private final String directoryName;
    private final byte[] requirements;
    private final String importCheck;

    /**
     * @param description what is installed, for messages ({@code "LocalStack 2026.3.0"})
     * @param directoryName the cache directory's name before the requirements' hash ({@code "localstack-2026.3.0"})
     * @param requirements a pinned pip requirements file
     * @param importCheck Python code run in the environment after the install; a failure fails the install (a
     *     broken dependency would otherwise show only at the first use)
     */
    public PythonEnvironment(String description, String directoryName, byte[] requirements, String importCheck) {
        this.description = description;
        this.directoryName = directoryName;
        this.requirements = requirements.clone();
        this.importCheck = importCheck;
    }

    /** A requirements file from the classpath of {@code owner}; fails naming the resource if it is not there. */
    public static byte[] requirementsResource(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the pinned requirements " + resource + " are not on the classpath of "
                        + owner.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The per-user emulator cache. */
    public static Path cacheRoot() {
        String root = System.getProperty(CACHE_PROPERTY);
        return root != null ? Path.of(root)
                : Path.of(System.getProperty("user.home"), ".cache", "atomic-checkpoint", "emulators");
    }

    /** Where the environment is installed: the cache, keyed by the name and the requirements' hash. */
    public Path installDir() {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(requirements), 0, 6);
            return cacheRoot().resolve(directoryName + "-" + hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The virtual environment's Python, installing the environment first unless the cache has it. */
    public Path python() {
        synchronized (PythonEnvironment.class) {
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
                        install(dir, findPython313(description));
                        Files.writeString(done, description + "\n");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the install directory " + dir + " for " + description, e);
            }
            return venvPython;
        }
    }

    private void install(Path dir, Path python) throws IOException {
        long started = System.nanoTime();
        Path requirementsFile = dir.resolve("requirements.txt");
        Files.write(requirementsFile, requirements);
        Path log = dir.resolve("install.log");
        Path venv = dir.resolve("venv");
        run(List.of(python.toString(), "-m", "venv", venv.toString()), dir, log, "create a virtual environment");
        Path venvPython = venv.resolve("bin").resolve("python");
        run(List.of(venvPython.toString(), "-m", "pip", "install", "--no-input", "--disable-pip-version-check",
                "--require-virtualenv", "-r", requirementsFile.toString()), dir, log, "install the requirements");
        run(List.of(venvPython.toString(), "-c", importCheck), dir, log, "run the import check");
        LOG.info("installed {} into {} in {} s", description, dir,
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
    }

    /** Runs an install step, appending its output to {@code log}; fails with the log's tail. */
    private void run(List<String> command, Path dir, Path log, String what) throws IOException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PIP_NO_PYTHON_VERSION_WARNING", "1");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot " + what + " for " + description + ": " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("cannot " + what + " for " + description + ": '"
                        + String.join(" ", command) + "' did not finish within " + INSTALL_TIMEOUT_MINUTES
                        + " minutes; the end of " + log + ":\n" + tail(log));
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + description, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("cannot " + what + " for " + description + ": '" + String.join(" ", command)
                    + "' exited with " + process.exitValue() + "; the end of " + log + ":\n" + tail(log));
        }
    }

    /** CPython 3.13, from the system property, pyenv, or the PATH, in that order; checked to run. */
    public static Path findPython313(String forWhat) {
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
        throw new IllegalStateException("cannot install " + forWhat + ": it needs CPython 3.13 and none was found (-D"
                + PYTHON_PROPERTY + "=" + configured + ", " + pyenvVersions + "/3.13*/bin/python3.13, python3.13 on the"
                + " PATH" + (tried.isEmpty() ? "" : "; tried " + tried) + "). Install it, for example with"
                + " 'pyenv install 3.13', or point -D" + PYTHON_PROPERTY + " at one.");
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

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the half-finished install " + dir, e);
        }
    }

    @Override
    public String toString() {
        return description + " in " + installDir();
    }
}
