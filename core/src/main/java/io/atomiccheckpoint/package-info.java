/**
 * The library's one error model: {@link io.atomiccheckpoint.AtomicCheckpointException}, the base of every exception it throws, with an {@link io.atomiccheckpoint.ErrorKind}.
 */
package io.atomiccheckpoint;
