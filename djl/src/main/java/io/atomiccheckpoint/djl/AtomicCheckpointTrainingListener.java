package io.atomiccheckpoint.djl;

import ai.djl.Model;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathFactory;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.RetentionPolicy;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DJL {@link ai.djl.training.listener.TrainingListener} that commits the model atomically to any store at the
 * end of every N-th epoch, as {@code <root>/epoch_<N>}, and then applies a retention policy. Readers (and
 * {@link ModelCheckpoints#loadLatest}) see an epoch's files all or not at all, even if the trainer dies half way
 * through a save or another trainer takes over the same root.
 *
 * <p>It follows DJL's {@code SaveModelTrainingListener}: epochs are counted from 1 by {@code onEpoch}; before a
 * save the model's {@code "Epoch"} property is set to that number and the save-model callback runs; the model
 * saves itself with {@code Model.save(dir, name)} (so DJL writes {@code <name>-<epoch, 4 digits>.params}); and
 * {@code onTrainingEnd} saves the last epoch if the every-N schedule skipped it. It extends
 * {@code TrainingListenerAdapter} rather than {@code SaveModelTrainingListener} because the latter logs and
 * swallows a failed save, keeps its epoch count private, and needs a local output directory.
 *
 * <p>Each save goes into a fresh local scratch directory, is streamed into a new attempt of the checkpoint's
 * {@link TemporaryPath} (by default {@link PrefixCopyCommit}), committed, and the scratch directory is deleted.
 *
 * <p>Failures are not swallowed: a failed save or commit is thrown from {@code onEpoch}, which stops DJL's
 * {@code EasyTrain.fit}; the epoch's checkpoint is then absent (never partial) and the previous one stays the
 * latest. A {@link CommitConflictException} (the epoch is already committed, or another writer's attempt
 * superseded this one) also disables the listener: it means another trainer writes to this root, and writing on
 * would take that trainer's leases, so later saves throw {@link IllegalStateException} and {@code onTrainingEnd}
 * saves nothing. After other failures (a store error, a full disk) the next save is tried as usual. A failed
 * retention step is logged and retried after the next commit: the checkpoint it follows is committed.
 */
public final class AtomicCheckpointTrainingListener extends TrainingListenerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicCheckpointTrainingListener.class);

    /** The prefix of every checkpoint's name; the epoch number follows it. */
    public static final String NAME_PREFIX = "epoch_";

    private final Location root;
    private final TemporaryPathFactory strategy;
    private final TemporaryPathOptions options;
    private final CheckpointDirectory directory;
    private final Optional<RetentionPolicy> retention;
    private final int everyEpochs;
    private final boolean saveOnTrainingEnd;
    private final String modelName;
    private final Path scratchDirectory;
    private final Consumer<Trainer> saveModelCallback;

    private int epoch;
    private int lastCommittedEpoch;
    private CommitConflictException disabledBy;

    private AtomicCheckpointTrainingListener(Builder b) {
        this.root = b.root;
        this.strategy = b.strategy != null ? b.strategy : new PrefixCopyCommit(b.store);
        this.options = b.options;
        this.directory = new CheckpointDirectory(b.store, b.root);
        this.retention = Optional.ofNullable(b.retention);
        this.everyEpochs = b.everyEpochs;
        this.saveOnTrainingEnd = b.saveOnTrainingEnd;
        this.modelName = b.modelName;
        this.scratchDirectory = b.scratchDirectory;
        this.saveModelCallback = b.saveModelCallback;
        this.epoch = b.epochsDone;
        this.lastCommittedEpoch = b.epochsDone;
    }

    /** A builder for a listener that commits below {@code root} on {@code store} (which the caller closes). */
    public static Builder builder(Store store, Location root) {
        return new Builder(store, root);
    }

    /** The checkpoint location of {@code epoch} below {@code root}: {@code <root>/epoch_<epoch>}. */
    public static Location checkpointLocation(Location root, int epoch) {
        return root.resolve(NAME_PREFIX + epoch);
    }

    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        if (epoch % everyEpochs == 0) {
            save(trainer);
        }
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (!saveOnTrainingEnd || epoch == lastCommittedEpoch || epoch == 0) {
            return;
        }
        if (disabledBy != null) {
            LOG.warn("not saving epoch {} at the end of training: this listener stopped after {}", epoch,
                    disabledBy.getMessage());
            return;
        }
        save(trainer);
    }

    private void save(Trainer trainer) {
        Model model = trainer.getModel();
        model.setProperty("Epoch", String.valueOf(epoch));
        if (saveModelCallback != null) {
            saveModelCallback.accept(trainer);
        }
        save(model, epoch);
    }

    /**
     * Saves {@code model} as epoch {@code epochNumber} and commits it to {@code <root>/epoch_<epochNumber>}, then
     * applies the retention policy. {@code onEpoch} calls this; call it yourself to checkpoint outside DJL's
     * listener calls (a model without a trainer). Sets the model's {@code "Epoch"} property, as DJL does.
     *
     * @return what the commit did
     * @throws CommitConflictException if the epoch is already committed or another attempt superseded this one
     *     (the listener is then disabled)
     * @throws UncheckedIOException if the model cannot save itself locally
     * @throws IllegalStateException if an earlier commit conflict disabled the listener
     */
    public CommitResult save(Model model, int epochNumber) {
        if (disabledBy != null) {
            throw new IllegalStateException("not saving epoch " + epochNumber + " to " + root
                    + ": an earlier commit conflict means another writer owns this root", disabledBy);
        }
        Location target = checkpointLocation(root, epochNumber);
        Path scratch = newScratchDirectory();
        CommitResult result;
        try {
            model.setProperty("Epoch", String.valueOf(epochNumber));
            model.save(scratch, modelName != null ? modelName : model.getName());
            TemporaryPath checkpoint = strategy.fromFinal(target, options);
            checkpoint.createBlocking();
            checkpoint.staging().uploadDirectory(scratch);
            result = checkpoint.commitBlocking();
        } catch (CommitConflictException e) {
            disabledBy = e;
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("the model could not save epoch " + epochNumber + " into " + scratch, e);
        } finally {
            deleteRecursively(scratch);
        }
        lastCommittedEpoch = Math.max(lastCommittedEpoch, epochNumber);
        LOG.info("committed epoch {} to {}", epochNumber, result.finalLocation());
        retention.ifPresent(this::applyRetention);
        return result;
    }

    private void applyRetention(RetentionPolicy policy) {
        try {
            List<Location> deleted = directory.applyRetention(directory.planRetention(policy));
            if (!deleted.isEmpty()) {
                LOG.info("retention {} deleted {} checkpoint(s) below {}", policy.describe(), deleted.size(), root);
            }
        } catch (StoreException e) {
            // The epoch is committed; what is left over is deleted by the next epoch's retention.
            LOG.warn("retention {} below {} failed; it is tried again after the next commit", policy.describe(),
                    root, e);
        }
    }

    /** How many epochs {@code onEpoch} has counted, including those given to {@link Builder#epochsDone}. */
    public int epoch() {
        return epoch;
    }

    /** The highest epoch this listener committed (or was told was done); 0 if none. */
    public int lastCommittedEpoch() {
        return lastCommittedEpoch;
    }

    private Path newScratchDirectory() {
        try {
            return scratchDirectory != null ? Files.createTempDirectory(scratchDirectory, "djl-epoch-")
                    : Files.createTempDirectory("djl-epoch-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory for the model's files", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover scratch directory costs local disk, not correctness; the commit's outcome matters more.
            LOG.warn("could not delete the scratch directory {}", dir, e);
        }
    }

    /** Settings of an {@link AtomicCheckpointTrainingListener}; only the store and the root are required. */
    public static final class Builder {
        private final Store store;
        private final Location root;
        private TemporaryPathFactory strategy;
        private TemporaryPathOptions options = TemporaryPathOptions.defaults();
        private RetentionPolicy retention;
        private int everyEpochs = 1;
        private boolean saveOnTrainingEnd = true;
        private String modelName;
        private Path scratchDirectory;
        private Consumer<Trainer> saveModelCallback;
        private int epochsDone;

        private Builder(Store store, Location root) {
            this.store = Objects.requireNonNull(store, "store");
            this.root = Objects.requireNonNull(root, "root");
        }

        /** The commit strategy (default {@code new PrefixCopyCommit(store)}); it must work on {@code store}. */
        public Builder strategy(TemporaryPathFactory strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Options of every attempt: writer id, observer, metadata (default {@link TemporaryPathOptions#defaults()}). */
        public Builder options(TemporaryPathOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Deletes the checkpoints below the root that {@code policy} does not keep after every commit (never the
         * latest). The root should hold this run's checkpoints only: retention judges every checkpoint in it.
         * Without a policy every epoch is kept.
         */
        public Builder retention(RetentionPolicy policy) {
            this.retention = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Commits every {@code n}-th epoch (default 1: every epoch), as DJL's {@code checkpoint} argument. */
        public Builder everyEpochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("everyEpochs needs n >= 1, was " + n);
            }
            this.everyEpochs = n;
            return this;
        }

        /**
         * Whether {@code onTrainingEnd} commits the last epoch if the schedule skipped it (default true, as DJL).
         * DJL calls it from {@code Trainer.close()}, also after training failed half way through an epoch; the
         * model saved then holds that half-trained state under the last finished epoch's number.
         */
        public Builder saveOnTrainingEnd(boolean save) {
            this.saveOnTrainingEnd = save;
            return this;
        }

        /** The name the model saves under (default the model's own name), as DJL's {@code overrideModelName}. */
        public Builder modelName(String name) {
            this.modelName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Where the model's files are written before they are staged (default the system temporary directory). */
        public Builder scratchDirectory(Path directory) {
            this.scratchDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Runs before each save, after the {@code "Epoch"} property is set: DJL's {@code setSaveModelCallback}. */
        public Builder saveModelCallback(Consumer<Trainer> callback) {
            this.saveModelCallback = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * Epochs already trained, so counting goes on from there: the epoch of the checkpoint training resumed
         * from ({@link LoadedCheckpoint#epoch()}). Default 0.
         */
        public Builder epochsDone(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("epochsDone needs epochs >= 0, was " + epochs);
            }
            this.epochsDone = epochs;
            return this;
        }

        public AtomicCheckpointTrainingListener build() {
            return new AtomicCheckpointTrainingListener(this);
        }
    }
}
