package io.atomiccheckpoint.spark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.spark.AtomicCheckpointFileManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example's query as the example does, on a local checkpoint: each run resumes where the last ended. */
class StreamingCheckpointExampleTest {
    @Test
    void eachRunResumesFromTheCheckpointWrittenThroughThePlugIn(@TempDir Path dir) throws Exception {
        String checkpoint = dir.resolve("checkpoint").toUri().toString();
        SparkSession spark = SparkSession.builder().master("local[1]").appName("example test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.streaming.checkpointFileManagerClass", AtomicCheckpointFileManager.class.getName())
                .getOrCreate();
        try {
            List<List<Long>> runs = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                runs.add(StreamingCheckpointExample.runOnce(spark, checkpoint));
            }
            assertThat(runs).containsExactly(List.of(0L), List.of(1L), List.of(2L));
            // Written by the plug-in: its single puts leave no temporary or checksum files beside the log entries.
            assertThat(dir.resolve("checkpoint/commits").toFile().list())
                    .containsExactlyInAnyOrder("0", "1", "2", ".atomiccheckpoint-directory");
        } finally {
            spark.stop();
        }
    }
}
