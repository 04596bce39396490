package io.atomiccheckpoint.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

/**
 * A child JVM for {@link KilledQueryTest}: one Spark session running one streaming query per store, each with
 * its checkpoint on that store through {@link AtomicCheckpointFileManager}, so that one JVM start serves every
 * store in a round. Each query reads the {@code rate-micro-batch} source (batch N holds the values
 * {@code N*ROWS .. N*ROWS+ROWS-1}, decided by the offsets log) and, per batch, writes the batch's values to
 * {@code <out>/<query>/batch-<id>} (replaced when a batch runs again) and appends the batch id to
 * {@code <out>/<query>/executions}. Arguments: the output directory, a properties file of Hadoop settings, then
 * {@code <query>=<checkpoint path>} per query.
 */
public final class StreamingChild {
    /** Rows per micro-batch. */
    static final int ROWS = 5;

    private StreamingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            settings.load(in);
        }
        SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("killed-query")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.streaming.checkpointFileManagerClass", AtomicCheckpointFileManager.class.getName());
        for (String key : settings.stringPropertyNames()) {
            builder.config("spark.hadoop." + key, settings.getProperty(key));
        }
        SparkSession spark = builder.getOrCreate();
        // Started side by side: a query's start (its store's client, the first metadata writes) takes seconds.
        List<Thread> starts = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] nameAndPath = args[i].split("=", 2);
            Path queryOut = out.resolve(nameAndPath[0]);
            Files.createDirectories(queryOut);
            VoidFunction2<Dataset<Row>, Long> sink = (batch, id) -> record(queryOut, id, batch);
            Thread start = new Thread(() -> {
                try {
                    spark.readStream().format("rate-micro-batch").option("rowsPerBatch", ROWS).load()
                            .select("value").writeStream().queryName(nameAndPath[0])
                            .option("checkpointLocation", nameAndPath[1])
                            .trigger(Trigger.ProcessingTime(300))
                            .foreachBatch(sink)
                            .start();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "start-" + nameAndPath[0]);
            start.start();
            starts.add(start);
        }
        for (Thread start : starts) {
            start.join();
        }
        if (!failures.isEmpty()) {
            failures.forEach(Throwable::printStackTrace);
            System.exit(2);
        }
        System.out.println("STARTED");
        spark.streams().awaitAnyTermination();
    }

    private static void record(Path queryOut, long id, Dataset<Row> batch) throws IOException {
        List<Long> values = batch.collectAsList().stream().map(r -> r.getLong(0)).sorted().collect(Collectors.toList());
        String text = values.stream().map(String::valueOf).collect(Collectors.joining("\n"));
        Path tmp = queryOut.resolve("batch-" + id + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, queryOut.resolve("batch-" + id), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(queryOut.resolve("executions"), id + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
