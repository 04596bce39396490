/**
 * For authors of a store: the {@link io.atomiccheckpoint.spi.ObjectStore} SPI, its provider, its capabilities and the base of wrappers. Users do not call these types; they call {@link io.atomiccheckpoint.store.Store}.
 */
package io.atomiccheckpoint.spi;
