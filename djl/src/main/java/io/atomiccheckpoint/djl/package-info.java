/**
 * DJL training checkpoints committed atomically to any store: {@link io.atomiccheckpoint.djl.AtomicCheckpointTrainingListener}
 * saves each epoch's model and commits it, and {@link io.atomiccheckpoint.djl.ModelCheckpoints} loads the latest
 * committed epoch back to resume training.
 */
package io.atomiccheckpoint.djl;
