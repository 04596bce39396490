package io.atomiccheckpoint.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts {@link HeapProbe} in a child JVM with a small heap and reads its verdict. */
final class HeapProbeRunner {
    private static final Pattern RESULT = Pattern.compile("HEAP_PROBE peakHeapBytes=(\\d+) wallMillis=(\\d+)");
    private static final long TIMEOUT_MINUTES = 10;
    /** Where the S3 target's launcher finds the S3Mock jar; run.sh sets it, and the child needs it too. */
    private static final String S3MOCK_JAR = "atomiccheckpoint.s3mock.jar";

    private HeapProbeRunner() {
    }

    static HeapProbeResult run(String store, Workload workload, String xmx) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-D" + S3MOCK_JAR + "=" + System.getProperty(S3MOCK_JAR, ""), HeapProbe.class.getName(), store,
                Integer.toString(workload.count()), Integer.toString(workload.objectBytes()));
        try {
            Path log = Files.createTempFile("heap-probe", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new HeapProbeResult(store, workload.count(), xmx, false, -1, -1,
                        "timed out after " + TIMEOUT_MINUTES + " minutes");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = RESULT.matcher(output);
            if (p.exitValue() == 0 && m.find()) {
                return new HeapProbeResult(store, workload.count(), xmx, true, Long.parseLong(m.group(1)),
                        Long.parseLong(m.group(2)), "ok");
            }
            return new HeapProbeResult(store, workload.count(), xmx, false, -1, -1, "exit " + p.exitValue() + ": "
                    + lastLines(output));
        } catch (IOException e) {
            return new HeapProbeResult(store, workload.count(), xmx, false, -1, -1, "cannot start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HeapProbeResult(store, workload.count(), xmx, false, -1, -1, "interrupted");
        }
    }

    private static String lastLines(String output) {
        String[] lines = output.strip().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
            b.append(lines[i].strip()).append(' ');
        }
        return b.toString().strip().replace('|', '/');
    }
}
