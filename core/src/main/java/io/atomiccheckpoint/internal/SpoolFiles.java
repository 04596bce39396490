package io.atomiccheckpoint.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local scratch files (manifest spools, staged-stream spills) in {@code java.io.tmpdir}, named with this
 * process's id. A process killed mid-commit cannot delete its own, so the first use in every later process
 * deletes those whose process no longer runs: a kill leaks them only until the next run on the machine.
 */
public final class SpoolFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolFiles.class);
    private static final String PREFIX = "atomic-checkpoint-";
    private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private SpoolFiles() {
    }

    /** A new empty scratch file; the caller deletes it. */
    public static Path create(String suffix) throws IOException {
        if (SWEPT.compareAndSet(false, true)) {
            sweep(Path.of(System.getProperty("java.io.tmpdir")));
        }
        return Files.createTempFile(PREFIX + ProcessHandle.current().pid() + "-", suffix);
    }

    /** Deletes the scratch files in {@code dir} of processes that no longer run; returns how many. */
    public static int sweep(Path dir) {
        int deleted = 0;
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path file : files) {
                Matcher m = OURS.matcher(file.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != self && ProcessHandle.of(pid).isEmpty() && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not sweep stale scratch files in {}: {}", dir, e.toString());
        }
        if (deleted > 0) {
            LOG.info("deleted {} scratch files left in {} by processes that were killed", deleted, dir);
        }
        return deleted;
    }
}
