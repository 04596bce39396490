package io.atomiccheckpoint.spark.examples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The Spark plug-in in use: a streaming query whose checkpoint goes through
 * {@code io.atomiccheckpoint.spark.AtomicCheckpointFileManager}, run three times; each run resumes from the
 * checkpoint and processes the next batch. Run it with a checkpoint location as its argument:
 * {@code file:///tmp/example-checkpoint}, or {@code acs3://bucket/prefix} (then set the S3 settings, such as
 * {@code spark.hadoop.atomiccheckpoint.s3.region}, on the session), {@code acgs://bucket/prefix},
 * {@code acaz://container/prefix}.
 */
public final class StreamingCheckpointExample {
    private StreamingCheckpointExample() {
    }

    public static void main(String[] args) throws Exception {
        String checkpoint = args.length > 0 ? args[0] : "file:///tmp/atomic-checkpoint-spark-example";
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("atomic-checkpoint Spark example")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.streaming.checkpointFileManagerClass",
                        "io.atomiccheckpoint.spark.AtomicCheckpointFileManager")
                .getOrCreate();
        try {
            for (int run = 1; run <= 3; run++) {
                System.out.println("run " + run + " processed batches " + runOnce(spark, checkpoint));
            }
        } finally {
            spark.stop();
        }
    }

    /** Runs the query until it has processed what is available now; returns the ids of the batches it ran. */
    public static List<Long> runOnce(SparkSession spark, String checkpoint)
            throws TimeoutException, StreamingQueryException {
        List<Long> batches = new CopyOnWriteArrayList<>();
        VoidFunction2<Dataset<Row>, Long> sink = (rows, batchId) -> batches.add(batchId);
        StreamingQuery query = spark.readStream().format("rate-micro-batch").option("rowsPerBatch", 10).load()
                .writeStream()
                .option("checkpointLocation", checkpoint)
                .trigger(Trigger.AvailableNow())
                .foreachBatch(sink)
                .start();
        query.awaitTermination();
        return batches;
    }
}
