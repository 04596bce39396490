package io.atomiccheckpoint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.spark.SparkStores.SparkStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.streaming.CheckpointFileManager;
import org.apache.spark.sql.execution.streaming.CheckpointFileManagerTests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scalatest.Args;
import org.scalatest.Args$;
import org.scalatest.Reporter;
import org.scalatest.Status;
import org.scalatest.events.Event;
import org.scalatest.events.SuiteAborted;
import org.scalatest.events.TestFailed;
import org.scalatest.events.TestSucceeded;
import scala.Function1;
import scala.Option;
import scala.runtime.BoxedUnit;

/**
 * Spark's own {@code CheckpointFileManagerTests} (from the spark-sql tests jar: mkdirs, list, createAtomic with and
 * without overwrite, cancel, open, delete, exists) run against {@link AtomicCheckpointFileManager} on every store.
 * The suite is ScalaTest; it is run here through ScalaTest's API and every failed or aborted test fails this one.
 */
class SparkCheckpointFileManagerTestsTest {
    static Stream<SparkStore> stores() {
        return SparkStores.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void sparksOwnCheckpointFileManagerTestsPass(SparkStore store) {
        OnStore suite = new OnStore(store);
        Recorder recorder = new Recorder();
        Args$ defaults = Args$.MODULE$;
        Args args = new Args(recorder, defaults.$lessinit$greater$default$2(), defaults.$lessinit$greater$default$3(),
                defaults.$lessinit$greater$default$4(), defaults.$lessinit$greater$default$5(),
                defaults.$lessinit$greater$default$6(), defaults.$lessinit$greater$default$7(),
                defaults.$lessinit$greater$default$8(), defaults.$lessinit$greater$default$9(),
                defaults.$lessinit$greater$default$10());
        Status status = suite.run(Option.empty(), args);
        status.waitUntilCompleted();

        assertThat(recorder.failures).as("failed or aborted tests of Spark's suite on " + store).isEmpty();
        assertThat(recorder.succeeded).as("tests of Spark's suite that ran on " + store).isNotEmpty();
        assertThat(status.succeeds()).isTrue();
        assertThat(suite.pathsGiven).as("scratch paths the suite used").isPositive();
    }

    /** Spark's abstract suite bound to one store. */
    private static final class OnStore extends CheckpointFileManagerTests {
        private final transient SparkStore store;
        int pathsGiven;

        OnStore(SparkStore store) {
            this.store = store;
        }

        @Override
        public void withTempHadoopPath(Function1<Path, BoxedUnit> body) {
            pathsGiven++;
            body.apply(store.newScratchPath());
        }

        @Override
        public void checkLeakingCrcFiles(Path path) {
            // Hadoop's checksummed local filesystem leaves .crc files beside renamed ones; a single put has none.
            FileStatus[] children = createManager(path).list(path);
            List<String> crc = new ArrayList<>();
            Arrays.stream(children).map(s -> s.getPath().getName()).filter(n -> n.endsWith(".crc")).forEach(crc::add);
            if (!crc.isEmpty()) {
                throw new AssertionError("checksum files leaked in " + path + ": " + crc);
            }
        }

        @Override
        public CheckpointFileManager createManager(Path path) {
            return new AtomicCheckpointFileManager(path, store.hadoopConf());
        }
    }

    /** Collects ScalaTest's events. */
    private static final class Recorder implements Reporter {
        final List<String> failures = new ArrayList<>();
        final List<String> succeeded = new ArrayList<>();

        @Override
        public synchronized void apply(Event event) {
            if (event instanceof TestFailed failed) {
                failures.add(failed.testName() + ": " + failed.message()
                        + (failed.throwable().isDefined() ? " (" + failed.throwable().get() + ")" : ""));
                if (failed.throwable().isDefined()) {
                    failed.throwable().get().printStackTrace();
                }
            } else if (event instanceof SuiteAborted aborted) {
                failures.add("suite aborted: " + aborted.message());
                if (aborted.throwable().isDefined()) {
                    aborted.throwable().get().printStackTrace();
                }
            } else if (event instanceof TestSucceeded ok) {
                succeeded.add(ok.testName());
            }
        }
    }
}
