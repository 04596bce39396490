/**
 * The {@code atomic-checkpoint} command: list, latest, inspect, verify, gc and upload checkpoints on any location
 * a store serves ({@code file}, {@code gs}, {@code s3}, {@code az}). {@link io.atomiccheckpoint.cli.Main} is the
 * entry point; each command is one class.
 */
package io.atomiccheckpoint.cli;
