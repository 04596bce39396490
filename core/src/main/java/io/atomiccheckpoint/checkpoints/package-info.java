/**
 * Operating on many checkpoints below a root: listing, the latest, deletion and clean-up of abandoned temporaries.
 */
package io.atomiccheckpoint.checkpoints;
