package io.atomiccheckpoint.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.commit.CommitMarkers;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestEntry;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads committed epoch checkpoints back: {@link #loadLatest} finds the latest committed epoch below a root,
 * downloads it and loads it into a model, which is how a training job resumes. Only committed checkpoints are
 * read, and only the objects their commit marker lists, each pinned to the version the marker recorded where the
 * store can pin reads: an attempt that never committed, or a stale writer's late object beside a checkpoint, is
 * never loaded.
 */
public final class ModelCheckpoints {
    private ModelCheckpoints() {
    }

    /**
     * Loads the committed checkpoint with the highest epoch below {@code root} into {@code model}: its files are
     * downloaded into {@code localDirectory} (created if absent; it must be empty, so that DJL picks this
     * checkpoint's parameter file and no other), then {@code model.load(localDirectory, modelName)}.
     *
     * @return the checkpoint loaded, or empty if {@code root} holds no committed checkpoint with an epoch number
     * @throws IOException if the files cannot be written locally or DJL cannot read them
     * @throws MalformedModelException if DJL finds the parameters malformed
     */
    public static Optional<LoadedCheckpoint> loadLatest(Store store, Location root, Model model, String modelName,
            Path localDirectory) throws IOException, MalformedModelException {
        Optional<CommittedCheckpoint> latest = new CheckpointDirectory(store, root).latest();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        CommittedCheckpoint checkpoint = latest.get();
        long step = checkpoint.step().orElseThrow();
        if (step > Integer.MAX_VALUE) {
            throw new AtomicCheckpointException(ErrorKind.INVALID_INPUT, "the latest checkpoint below " + root
                    + " has step " + step + ", more than a DJL epoch number can hold");
        }
        download(store, checkpoint.location(), localDirectory);
        model.load(localDirectory, modelName);
        return Optional.of(new LoadedCheckpoint(checkpoint.location(), (int) step, localDirectory));
    }

    /**
     * Downloads every object that the commit marker of {@code checkpoint} lists into {@code localDirectory}
     * (created if absent, must be empty), one stream at a time, so memory does not grow with the size of the
     * model or the number of files.
     *
     * @return how many files were written
     * @throws ValidationError if {@code checkpoint} is not committed, or its marker has no inventory (an Orbax
     *     marker) or is not a valid manifest
     * @throws AtomicCheckpointException if an object differs in size from what the marker recorded
     */
    public static long download(Store store, Location checkpoint, Path localDirectory) {
        Path target = prepare(localDirectory);
        return new CommitMarkers(store, CommitSettings.defaults()).read(checkpoint, reader -> {
            if (!reader.header().hasInventory()) {
                throw new AtomicCheckpointException(ErrorKind.NOT_SUPPORTED, "the marker of " + checkpoint
                        + " lists no objects (an Orbax marker): there is nothing to say which files to load");
            }
            boolean pinned = store.capabilities().versionedGet();
            long files = 0;
            for (Iterator<ManifestEntry> it = reader.entries(); it.hasNext(); ) {
                fetch(store, checkpoint, it.next(), target, pinned);
                files++;
            }
            return files;
        });
    }

    private static Path prepare(Path localDirectory) {
        try {
            Files.createDirectories(localDirectory);
            try (Stream<Path> present = Files.list(localDirectory)) {
                if (present.findAny().isPresent()) {
                    throw new IllegalArgumentException(localDirectory + " is not empty: DJL would load whichever"
                            + " parameter file has the highest epoch, not necessarily the one downloaded");
                }
            }
            return localDirectory.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + localDirectory, e);
        }
    }

    private static void fetch(Store store, Location checkpoint, ManifestEntry entry, Path target, boolean pinned) {
        // The marker's keys were checked to stay inside the checkpoint; this keeps them inside the local directory.
        Path file = target.resolve(entry.key()).normalize();
        if (!file.startsWith(target) || file.equals(target)) {
            throw new AtomicCheckpointException(ErrorKind.CORRUPT, "the marker of " + checkpoint
                    + " lists " + Messages.quote(entry.key()) + ", which is no file below the download directory");
        }
        GetOptions options = pinned && entry.version().isPresent() ? GetOptions.version(entry.version().get())
                : GetOptions.whole();
        Location object = checkpoint.resolve(entry.key());
        long copied;
        try {
            Files.createDirectories(file.getParent());
            try (InputStream in = store.read(object, options)) {
                copied = Files.copy(in, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + object + " to " + file, e);
        }
        if (copied != entry.size()) {
            throw new AtomicCheckpointException(ErrorKind.CORRUPT, "downloaded " + copied + " bytes of " + object
                    + ", whose commit marker records " + entry.size());
        }
    }
}
