/**
 * The protocol's types, after the reference design's {@code atomicity_types}: {@link io.atomiccheckpoint.atomicity.TemporaryPath}, its factory, options, results and {@link io.atomiccheckpoint.atomicity.ValidationError}.
 */
package io.atomiccheckpoint.atomicity;
