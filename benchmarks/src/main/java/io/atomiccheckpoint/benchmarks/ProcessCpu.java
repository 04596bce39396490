package io.atomiccheckpoint.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system, all threads) of another process, read from {@code /proc/<pid>/stat}: how busy
 * the emulator was during a run, to show whether it, rather than the client, set the pace.
 */
final class ProcessCpu {
    /** Clock ticks per second of {@code /proc} times; 100 on every Linux kernel configuration in use. */
    private static final long TICKS_PER_SECOND = 100;

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** CPU milliseconds used so far, or -1 when the process is gone or {@code /proc} is unreadable. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after it start past the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
