/**
 * The commit marker's format: a streamed, versioned JSON manifest of every committed object.
 */
package io.atomiccheckpoint.manifest;
