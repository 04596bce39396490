/**
 * Micrometer meters for atomic-checkpoint: {@link io.atomiccheckpoint.micrometer.CheckpointMetrics} gives a commit
 * observer (phase timers, objects and bytes moved) and a store wrapper (requests by operation, failures by kind).
 */
package io.atomiccheckpoint.micrometer;
