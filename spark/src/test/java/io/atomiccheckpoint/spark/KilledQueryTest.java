package io.atomiccheckpoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.spark.SparkStores.SparkStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming query whose checkpoint is on each store is killed with SIGKILL (the whole child JVM) at a random
 * moment and restarted, {@value #KILLS} times; its output must be exactly once: every committed batch's file
 * holds exactly that batch's rows, no batch is missing, no row appears twice, and after each restart the query
 * runs no batch that was committed before the kill (so it did read its checkpoint back from the store).
 *
 * <p>One child JVM per round runs the queries of the filesystem store, S3Mock, fake-gcs-server and Azurite
 * together, so a round costs one Spark start. LocalStack is not in it: one Spark session has one set of
 * {@code s3.*} settings, and S3Mock has them; LocalStack runs Spark's own suite and the zombie test.
 */
class KilledQueryTest {
    private static final int KILLS = Integer.getInteger("it.spark.kills", 10);
    private static final List<SparkStore> STORES = List.of(SparkStores.FILESYSTEM, SparkStores.S3MOCK,
            SparkStores.GCS, SparkStores.AZURE);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void aQueryKilledAndRestartedTenTimesWritesEachBatchExactlyOnce(@TempDir Path tmp) throws Exception {
        long seed = Long.getLong("spark.kill.seed", System.nanoTime());
        System.out.println("KilledQueryTest seed " + seed + " (-Dspark.kill.seed=" + seed + " repeats it)");
        Random random = new Random(seed);

        Map<String, org.apache.hadoop.fs.Path> checkpoints = new LinkedHashMap<>();
        Properties settings = new Properties();
        for (SparkStore store : STORES) {
            checkpoints.put(shortName(store), new org.apache.hadoop.fs.Path(store.newScratchPath(), "query"));
            Map<String, String> storeSettings = new LinkedHashMap<>(store.hadoopSettings());
            if (store == SparkStores.S3MOCK) {
                // Saves each child JVM the store's ten-second probe of the server. The plug-in sends only PutObject
                // with If-None-Match and reads pinned with If-Match, which S3Mock enforces (S3MockGapsTest); the
                // other tests here run with the probe.
                storeSettings.put(HadoopSettings.PREFIX + "s3.conditionalWrites", "trust");
            }
            storeSettings.forEach((k, v) -> {
                Object before = settings.setProperty(k, v);
                assertThat(before == null || before.equals(v)).as("setting " + k + " shared by two stores").isTrue();
            });
        }
        Path settingsFile = tmp.resolve("settings.properties");
        try (OutputStream out = Files.newOutputStream(settingsFile)) {
            settings.store(out, null);
        }
        Map<String, AtomicCheckpointFileManager> managers = new LinkedHashMap<>();
        for (SparkStore store : STORES) {
            managers.put(shortName(store), new AtomicCheckpointFileManager(checkpoints.get(shortName(store)),
                    store.hadoopConf()));
        }

        Map<String, Long> committedAtKill = new LinkedHashMap<>();
        Map<String, Integer> executionsSeen = new LinkedHashMap<>();
        checkpoints.keySet().forEach(n -> {
            committedAtKill.put(n, -1L);
            executionsSeen.put(n, 0);
        });
        Path out = tmp.resolve("out");
        long started = System.nanoTime();
        for (int round = 1; round <= KILLS; round++) {
            Process child = startChild(tmp, out, settingsFile, checkpoints);
            try {
                int more = 1 + random.nextInt(2);
                long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
                for (String name : checkpoints.keySet()) {
                    long target = committedAtKill.get(name) + more;
                    while (lastCommitted(managers.get(name), checkpoints.get(name)) < target) {
                        if (!child.isAlive() || System.nanoTime() > deadline) {
                            throw new AssertionError("round " + round + ": query " + name + " did not commit batch "
                                    + target + " (" + (child.isAlive() ? "timed out" : "child exited with "
                                    + child.exitValue()) + "); child stderr:\n" + tail(tmp.resolve("child.stderr")));
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
                    }
                }
                // A random moment in the batches that follow, not right at a commit.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(500)));
            } finally {
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            for (String name : checkpoints.keySet()) {
                List<Long> executions = executions(out.resolve(name));
                List<Long> sinceRestart = executions.subList(executionsSeen.get(name), executions.size());
                long before = committedAtKill.get(name);
                assertThat(sinceRestart).as("round " + round + ", " + name + ": batches run after the restart,"
                        + " none of them committed before the kill (" + before + ")").allMatch(id -> id > before);
                executionsSeen.put(name, executions.size());
                committedAtKill.put(name, lastCommitted(managers.get(name), checkpoints.get(name)));
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        System.out.println("| store | kills | batches committed | batch runs | batches run twice (killed before"
                + " their commit) | rows | duplicate rows | missing rows |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : checkpoints.keySet()) {
            long committed = committedAtKill.get(name);
            Path dir = out.resolve(name);
            List<Long> rows = new ArrayList<>();
            for (long batch = 0; batch <= committed; batch++) {
                Path file = dir.resolve("batch-" + batch);
                assertThat(file).as(name + ": output of committed batch " + batch).exists();
                List<Long> values = Files.readAllLines(file).stream().map(Long::parseLong)
                        .collect(Collectors.toList());
                long first = batch * StreamingChild.ROWS;
                assertThat(values).as(name + ": rows of batch " + batch)
                        .isEqualTo(LongStream.range(first, first + StreamingChild.ROWS).boxed().toList());
                rows.addAll(values);
            }
            long distinct = rows.stream().distinct().count();
            List<Long> runs = executions(dir);
            long rerun = runs.size() - runs.stream().distinct().count();
            System.out.println("| " + name + " | " + KILLS + " | " + (committed + 1) + " | " + runs.size() + " | "
                    + rerun + " | " + rows.size() + " | " + (rows.size() - distinct) + " | "
                    + ((committed + 1) * StreamingChild.ROWS - distinct) + " |");
            assertThat(committed).as(name + ": batches committed over " + KILLS + " rounds").isGreaterThanOrEqualTo(KILLS);
            assertThat(distinct).isEqualTo(rows.size());
        }
        System.out.println("KilledQueryTest: " + KILLS + " kills of one child JVM running " + checkpoints.size()
                + " queries took " + seconds + " s");
    }

    private static String shortName(SparkStore store) {
        int space = store.name().indexOf(' ');
        return space < 0 ? store.name() : store.name().substring(0, space);
    }

    private static Process startChild(Path tmp, Path out, Path settingsFile,
            Map<String, org.apache.hadoop.fs.Path> checkpoints) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // A child lives for seconds on a shared 2-core machine: C1 only and the serial collector start it faster.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StreamingChild.class.getName());
        command.add(out.toString());
        command.add(settingsFile.toString());
        checkpoints.forEach((name, path) -> command.add(name + "=" + path));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("child.stderr").toFile())).start();
    }

    /** The highest batch id in the checkpoint's commits log, or -1. */
    private static long lastCommitted(AtomicCheckpointFileManager manager, org.apache.hadoop.fs.Path checkpoint) {
        org.apache.hadoop.fs.Path commits = new org.apache.hadoop.fs.Path(checkpoint, "commits");
        long max = -1;
        for (FileStatus status : manager.list(commits)) {
            String name = status.getPath().getName();
            if (name.chars().allMatch(Character::isDigit)) {
                max = Math.max(max, Long.parseLong(name));
            }
        }
        return max;
    }

    private static List<Long> executions(Path queryOut) throws IOException {
        Path file = queryOut.resolve("executions");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .map(Long::parseLong).collect(Collectors.toList());
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
