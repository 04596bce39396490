/**
 * The embedded local filesystem store, for {@code file:///} locations.
 */
package io.atomiccheckpoint.store.fs;
