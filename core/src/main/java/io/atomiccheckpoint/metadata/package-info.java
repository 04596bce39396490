/**
 * The reference design's checkpoint metadata file ({@code _CHECKPOINT_METADATA}) with init and commit timestamps.
 */
package io.atomiccheckpoint.metadata;
