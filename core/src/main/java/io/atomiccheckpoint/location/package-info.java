/**
 * Validated names of places in a store: {@link io.atomiccheckpoint.location.Location} and its schemes.
 */
package io.atomiccheckpoint.location;
