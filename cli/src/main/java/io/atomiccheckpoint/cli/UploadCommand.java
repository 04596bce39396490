package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.atomicity.CommitObserver;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code upload LOCAL_DIR CKPT}: stages a local directory into a new attempt and commits it with
 * {@code PrefixCopyCommit}, with a progress bar of objects and bytes for the staging and for the copies.
 */
@Command(name = "upload", description = "Stage LOCAL_DIR and commit it as the checkpoint CKPT (PrefixCopyCommit).")
final class UploadCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "LOCAL_DIR", description = "the directory to upload (symbolic links are refused)")
    Path localDirectory;
    @Parameters(index = "1", paramLabel = "CKPT", description = "the checkpoint to commit; must not be committed yet")
    String checkpoint;
    @Option(names = "--writer-id", paramLabel = "ID", description = "the writer id recorded in the marker")
    String writerId;

    @Override
    public Integer call() {
        Location at = CommonOptions.location(checkpoint);
        long[] totals = totals(localDirectory);
        Progress progress = common.progress(main.console);
        CommitObserver observer = new CommitObserver() {
            @Override
            public void onStep(CommitStep step, long index) {
                if (step == CommitStep.STARTED) {
                    progress.done();
                    progress.phase("copying", totals[0], totals[1]);
                } else if (step == CommitStep.BEFORE_MARKER) {
                    progress.done();
                }
            }

            @Override
            public void onTransfer(Transfer transfer, long bytes) {
                progress.add(1, bytes);
            }
        };
        TemporaryPathOptions.Builder options = TemporaryPathOptions.builder().observer(observer);
        if (writerId != null) {
            options.writerId(writerId);
        }
        CommitResult result;
        try (Store store = common.open(at, main.console)) {
            TemporaryPath path = new PrefixCopyCommit(store).fromFinal(at, options.build());
            path.createBlocking();
            progress.phase("staging", totals[0], totals[1]);
            path.staging().uploadDirectory(localDirectory);
            result = path.commitBlocking();
            // The command's store closes next: the temporary objects go before it does.
            result.cleanup().toCompletableFuture().join();
        }
        ManifestHeader h = result.manifest();
        if (common.json) {
            try (JsonOutput json = new JsonOutput(main.console.out())) {
                json.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("checkpoint", at.toString());
                    JsonOutput.header(g, h);
                    g.writeNumberField("copied", result.copied());
                    g.writeNumberField("alreadyInPlace", result.alreadyInPlace());
                    g.writeNumberField("elapsedMillis", result.elapsed().toMillis());
                    g.writeEndObject();
                });
            }
        } else {
            main.console.out().printf("committed %s: %d objects, %s, commit id %s%n", at, h.objectCount(),
                    Sizes.human(h.totalBytes()), h.commitId().orElse("-"));
        }
        return Main.OK;
    }

    /** Files and bytes below {@code dir}, for the progress bar's totals. */
    private static long[] totals(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(dir + " is not a directory (symbolic links are not followed)");
        }
        long[] t = new long[2];
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).forEach(f -> {
                t[0]++;
                try {
                    t[1] += Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + dir, e);
        }
        return t;
    }
}
