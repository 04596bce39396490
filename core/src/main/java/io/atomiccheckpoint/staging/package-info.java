/**
 * Writing a checkpoint's files into its temporary location.
 */
package io.atomiccheckpoint.staging;
