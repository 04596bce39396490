package io.atomiccheckpoint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.store.Payload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the plug-in adds beyond Spark's own suite, on the filesystem store (no emulator, no Spark session). */
class PlugInEdgesTest {
    @Test
    void aLargeFileSpillsToATemporaryFileThatIsDeletedAfterwards() throws IOException {
        SpoolingOutputStream spool = new SpoolingOutputStream(1024);
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 7);
        spool.write(data, 0, 1000);
        assertThat(spool.spilled()).isFalse();
        spool.write(data, 1000, 3096);
        spool.close();
        assertThat(spool.spilled()).isTrue();
        Payload payload = spool.payload();
        assertThat(payload.length()).isEqualTo(4096);
        Path file = ((Payload.File) payload).path();
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        spool.discard();
        assertThat(file).doesNotExist();
    }

    @Test
    void aSpilledFileIsWrittenWholeWithOnePutAndReadBackAfterSeeks(@TempDir Path dir) throws IOException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.toUri().toString(), "state/1.snapshot");
        AtomicCheckpointFileManager manager = new AtomicCheckpointFileManager(file.getParent(), new Configuration(false));
        byte[] data = new byte[SpoolingOutputStream.MEMORY_LIMIT_BYTES + 1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        try (var out = manager.createAtomic(file, false)) {
            out.write(data);
            assertThat(manager.exists(file)).as("nothing is written before close").isFalse();
        }
        try (FSDataInputStream in = manager.open(file)) {
            in.seek(data.length - 10);
            byte[] tail = in.readNBytes(10);
            assertThat(tail).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
            in.seek(5);
            assertThat(in.read()).isEqualTo(data[5] & 0xff);
            assertThat(in.getPos()).isEqualTo(6);
        }
    }

    @Test
    void unservedSchemesAndBucketRootsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> new AtomicCheckpointFileManager(new org.apache.hadoop.fs.Path("hdfs://nn/ckpt"),
                new Configuration(false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file, acgs, acs3 and acaz");
        AtomicCheckpointFileManager root = new AtomicCheckpointFileManager(
                new org.apache.hadoop.fs.Path("acs3://some-bucket/"), new Configuration(false));
        assertThatThrownBy(() -> root.delete(new org.apache.hadoop.fs.Path("acs3://some-bucket/")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("whole bucket");
    }

    @Test
    void hadoopFindsThePlugInsFileSystemByScheme() throws IOException {
        Configuration conf = new Configuration(false);
        try (FileSystem fs = FileSystem.newInstance(java.net.URI.create("acs3://some-bucket/"), conf)) {
            assertThat(fs).isInstanceOf(StoreFileSystem.S3.class);
            assertThat(fs.makeQualified(new org.apache.hadoop.fs.Path("ckpt/offsets")).toString())
                    .isEqualTo("acs3://some-bucket/ckpt/offsets");
            assertThatThrownBy(() -> fs.rename(new org.apache.hadoop.fs.Path("a"), new org.apache.hadoop.fs.Path("b")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("AtomicCheckpointFileManager");
        }
    }
}
