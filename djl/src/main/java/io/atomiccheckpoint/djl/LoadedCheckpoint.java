package io.atomiccheckpoint.djl;

import io.atomiccheckpoint.location.Location;
import java.nio.file.Path;

/**
 * A committed epoch checkpoint that {@link ModelCheckpoints#loadLatest} loaded into a model: where it came from,
 * its epoch (give it to {@link AtomicCheckpointTrainingListener.Builder#epochsDone(int)} to go on counting from
 * there), and the local directory its files were downloaded to.
 */
public record LoadedCheckpoint(Location location, int epoch, Path directory) {
}
