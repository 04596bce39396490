package io.atomiccheckpoint.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.FileOptions;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.internal.SpoolFiles;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defects of the local paths found with hostile input, each with the case that failed before its fix: links in
 * the middle of a path, names the store hides, producers that fail half way, permissions, leaked spool files.
 */
class LocalSafetyTest {
    @TempDir
    Path tmp;

    private Store store() {
        return Store.of(new FileSystemObjectStore());
    }

    private Path dir() throws IOException {
        return tmp.toRealPath();
    }

    @Test
    void aLinkInTheMiddleOfAPathIsNeverFollowedByAnyOperation() throws Exception {
        Path root = Files.createDirectories(dir().resolve("root"));
        Path elsewhere = Files.createDirectories(dir().resolve("elsewhere/step_500"));
        Files.writeString(elsewhere.resolve("commit_success.txt"), "Checkpoint commit was successful to x");
        Files.writeString(elsewhere.resolve("data"), "precious");
        Files.createSymbolicLink(root.resolve("step_99"), elsewhere);
        Store store = store();
        Location linked = Location.of(root).resolve("step_99");

        assertThatThrownBy(() -> new CheckpointDirectory(store, Location.of(root)).delete(linked))
                .isInstanceOf(AtomicCheckpointException.class);
        assertThatThrownBy(() -> new PrefixCopyCommit(store).validateFinal(linked))
                .isInstanceOf(AtomicCheckpointException.class);
        assertThatThrownBy(() -> store.write(linked.resolve("new"), new byte[] {1}, PutMode.CREATE))
                .isInstanceOf(AtomicCheckpointException.class).hasMessageContaining("symbolic link")
                .satisfies(e -> assertThat(((AtomicCheckpointException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThatThrownBy(() -> store.stat(linked.resolve("data"))).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.read(linked.resolve("data")).close()).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.delete(linked.resolve("data"))).hasMessageContaining("symbolic link");
        assertThat(Files.readString(elsewhere.resolve("data"))).isEqualTo("precious");
        assertThat(Files.exists(elsewhere.resolve("commit_success.txt"))).isTrue();
        assertThat(Files.exists(elsewhere.resolve("new"))).isFalse();
    }

    @Test
    void aLinkPlantedInsideAnAttemptCannotMakeACommitWriteOutside() throws Exception {
        Path outside = Files.createDirectories(dir().resolve("outside"));
        Store store = store();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store);
        TemporaryPath checkpoint = strategy.fromFinal(Location.of(dir()).resolve("ckpt/step_1"));
        checkpoint.createBlocking();
        Files.createSymbolicLink(checkpoint.get().toPath().resolve("sub"), outside);
        assertThatThrownBy(() -> checkpoint.staging().write("sub/file", new byte[] {1}))
                .isInstanceOf(AtomicCheckpointException.class).hasMessageContaining("symbolic link");
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files.collect(Collectors.toList())).isEmpty();
        }
    }

    @Test
    void namesTheStoreWouldHideAreRefusedWhenStaged() throws Exception {
        PrefixCopyCommit strategy = new PrefixCopyCommit(store());
        TemporaryPath checkpoint = strategy.fromFinal(Location.of(dir()).resolve("step_2"));
        checkpoint.createBlocking();
        for (String name : List.of(FileSystemObjectStore.UPLOAD_PREFIX + "x", "a/" + FileSystemObjectStore.UPLOAD_PREFIX)) {
            assertThatThrownBy(() -> checkpoint.staging().write(name, new byte[] {1})).as(name)
                    .isInstanceOf(AtomicCheckpointException.class).hasMessageContaining("hidden from listings");
        }
    }

    @Test
    void aProducerThatFailsPublishesNothingAndAnAbortedStreamNeither() throws Exception {
        Store store = store();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store);
        TemporaryPath checkpoint = strategy.fromFinal(Location.of(dir()).resolve("step_3"));
        checkpoint.createBlocking();
        StagingArea staging = checkpoint.staging();
        assertThatThrownBy(() -> staging.write("shard", out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("nothing was published");
        assertThat(store.stat(staging.resolve("shard"))).isEmpty();

        try (StagedOutputStream out = staging.openOutputStream("aborted")) {
            out.write(1);
            out.abort();
        }
        assertThat(store.stat(staging.resolve("aborted"))).isEmpty();
        staging.write("whole", out -> out.write(new byte[] {7, 7}));
        assertThat(store.stat(staging.resolve("whole")).orElseThrow().size()).isEqualTo(2);
    }

    @Test
    void permissionsAskedForApplyToTheFinalDirectoriesToo() throws Exception {
        PrefixCopyCommit strategy = new PrefixCopyCommit(store());
        Location finalLocation = Location.of(dir()).resolve("step_4");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation, TemporaryPathOptions.builder()
                .fileOptions(FileOptions.withPathPermissions("rwx------")).build());
        checkpoint.createBlocking();
        checkpoint.staging().write("a/b/c.bin", new byte[] {1});
        checkpoint.commitBlocking();
        for (Path p : List.of(finalLocation.toPath(), finalLocation.toPath().resolve("a"),
                finalLocation.toPath().resolve("a/b"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void spoolFilesOfAKilledProcessAreSweptAndLiveOnesKept() throws Exception {
        long dead = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
        Path stale = Files.createFile(dir().resolve("atomic-checkpoint-" + dead + "-1.entries"));
        Path live = Files.createFile(dir().resolve("atomic-checkpoint-" + ProcessHandle.current().pid() + "-2.entries"));
        Path foreign = Files.createFile(dir().resolve("atomic-checkpoint-notapid.entries"));
        assertThat(SpoolFiles.sweep(dir())).isEqualTo(1);
        assertThat(Files.exists(stale)).isFalse();
        assertThat(Files.exists(live)).isTrue();
        assertThat(Files.exists(foreign)).isTrue();
    }

    @Test
    void uploadFilesAKilledCopyLeftInTheFinalDirectoryAreGoneOnceTheResumeCommits() throws Exception {
        Store store = store();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store);
        Location finalLocation = Location.of(dir()).resolve("step_5");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        checkpoint.staging().write("a/b.bin", new byte[] {1});
        checkpoint.staging().write("c.bin", new byte[] {2});
        checkpoint.seal();
        // What a copy phase killed half way leaves: hidden, half-written copies inside the final directory.
        Files.write(Files.createDirectories(finalLocation.toPath().resolve("a"))
                .resolve(FileSystemObjectStore.UPLOAD_PREFIX + "1"), new byte[] {1});
        Files.write(finalLocation.toPath().resolve(FileSystemObjectStore.UPLOAD_PREFIX + "2"), new byte[] {9});

        strategy.fromTemporary(checkpoint.get()).commitBlocking().cleanup().toCompletableFuture().join();

        assertThat(uploadFiles(finalLocation.toPath())).isEmpty();
        assertThat(Files.readAllBytes(finalLocation.toPath().resolve("a/b.bin"))).containsExactly(1);
        strategy.validateFinal(finalLocation);
    }

    @Test
    void uploadFilesAKilledStagingWriterLeftAreRemovedByTheNextCreateAndByTemporaryCleanup() throws Exception {
        Store store = store();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store);
        Location root = Location.of(dir()).resolve("run");
        Location finalLocation = root.resolve("step_6");
        TemporaryPath killed = strategy.fromFinal(finalLocation);
        Path attempt = killed.createBlocking().toPath();
        Files.write(Files.createDirectories(attempt.resolve("shards")).resolve(FileSystemObjectStore.UPLOAD_PREFIX + "1"),
                new byte[] {1});
        strategy.fromFinal(finalLocation).createBlocking();
        assertThat(Files.exists(attempt)).as("the revoked attempt's directory, hidden files and all").isFalse();

        Location orphan = root.resolve("step_7");
        Path orphanAttempt = strategy.fromFinal(orphan).createBlocking().toPath();
        Files.write(orphanAttempt.resolve(FileSystemObjectStore.UPLOAD_PREFIX + "2"), new byte[] {2});
        Path orphanTemporary = orphanAttempt.getParent();
        Files.delete(orphanTemporary.resolve("_ATTEMPT")); // a writer killed long ago: no lease, no objects
        new CheckpointDirectory(store, root).cleanupTemporaries(java.time.Duration.ZERO);
        assertThat(Files.exists(orphanTemporary)).as("a temporary holding only hidden upload files").isFalse();
    }

    @Test
    void anAtomicRenameNeverPublishesAKilledWritersUploadFile() throws Exception {
        FileSystemObjectStore fs = new FileSystemObjectStore();
        io.atomiccheckpoint.commit.AtomicRename strategy = new io.atomiccheckpoint.commit.AtomicRename(fs,
                io.atomiccheckpoint.commit.CommitSettings.defaults());
        Location finalLocation = Location.of(dir()).resolve("step_8");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        Path staging = checkpoint.createBlocking().toPath();
        checkpoint.staging().write("x.bin", new byte[] {3});
        Files.write(staging.resolve(FileSystemObjectStore.UPLOAD_PREFIX + "3"), new byte[] {3});
        checkpoint.commitBlocking();
        assertThat(uploadFiles(finalLocation.toPath())).isEmpty();
        strategy.validateFinal(finalLocation);
    }

    private static List<Path> uploadFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(FileSystemObjectStore.UPLOAD_PREFIX))
                    .collect(Collectors.toList());
        }
    }

    /**
     * A file replaced by rename while the empty-directory prune walks its directory (a lease rewritten by a
     * writer, as a stopped writer resumed in StoppedProcessTest's round that found it) is no failure of the prune.
     */
    @Test
    void pruningWhileAFileIsReplacedByRenameNeverFails() throws Exception {
        Path dir = Files.createDirectories(dir().resolve("step_1.orbax-checkpoint-tmp"));
        Path lease = dir.resolve("_ATTEMPT");
        Files.writeString(lease, "0");
        Store store = store();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !done.get(); i++) {
                try {
                    Path next = dir.resolve(".next-" + (i % 2));
                    Files.writeString(next, Integer.toString(i));
                    Files.move(next, lease, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 3000; i++) {
                store.pruneEmptyDirectories(Location.of(dir));
            }
        } finally {
            done.set(true);
            writer.join();
        }
        assertThat(Files.exists(lease)).isTrue();
    }
}
