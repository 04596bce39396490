package io.atomiccheckpoint.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM running {@link CheckpointChild} with this test's classpath, so a test can kill a real process at a
 * chosen point. Standard output is read line by line into a queue; standard error goes to a file that is
 * included in failure messages.
 */
final class ChildJvm implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The process was killed; EOF below tells the waiter.
            } finally {
                lines.add(EOF);
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CheckpointChild.class.getName());
        command.addAll(args);
        try {
            Path stderr = Files.createTempFile("child-", ".stderr");
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            return new ChildJvm(process, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM", e);
        }
    }

    /** Waits for a line starting with {@code prefix}; fails with the child's output if it exits or times out first. */
    String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(EOF)) {
                    throw new AssertionError("child did not print '" + prefix + "' (" + (line == null ? "timed out"
                            : "exited with " + exitCode()) + "); stdout " + seen + "; stderr:\n" + stderrText());
                }
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Whether a line starting with {@code prefix} arrived and was not yet taken by {@link #awaitLine}. */
    boolean hasLine(String prefix) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    /**
     * Waits until {@code gauge} counts {@code target} started requests, or the child printed {@code RESULT} (its
     * save ended first); fails with the child's output if it exits or the wait times out.
     */
    void awaitRequest(RequestGauge gauge, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (gauge.startedCount() < target && !hasLine("RESULT")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("child did not reach request " + target + " (" + (process.isAlive()
                        ? "timed out" : "exited with " + exitCode()) + "); stdout " + seen + " " + lines
                        + "; stderr:\n" + stderrText());
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    /** Writes one line to the child's standard input. */
    void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the child; stderr:\n" + stderrText(), e);
        }
    }

    /**
     * Stops the whole child process with SIGSTOP (as a preempted or frozen machine would: every thread at once,
     * wherever it is) and waits until the kernel reports it stopped.
     */
    void stop(Duration timeout) {
        signal("STOP");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processState() != 'T') {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("child " + process.pid() + " is not stopped after " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Lets a stopped child go on (SIGCONT). */
    void resume() {
        signal("CONT");
    }

    /** The state letter of /proc/<pid>/stat (R running, S sleeping, T stopped, ...). */
    private char processState() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // The command name in parentheses may hold spaces; the state follows the last ')'.
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of child " + process.pid(), e);
        }
    }

    /** ProcessHandle can only terminate; other signals go through the kill command. */
    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true)
                    .start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills the child with SIGKILL, as a crash or an OOM killer would, and waits for it to die. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the child to exit and returns its exit code. */
    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("child did not exit within " + timeout + "; stderr:\n" + stderrText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String exitCode() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            return process.isAlive() ? "(still running)" : String.valueOf(process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    String stderrText() {
        try {
            String text = Files.readString(stderr);
            return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
        } catch (IOException e) {
            return "(cannot read stderr: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // A temp file; the OS cleans it.
        }
    }
}
