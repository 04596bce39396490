/**
 * The store as users and the protocol call it: the {@link io.atomiccheckpoint.store.Store} facade, the request options ({@link io.atomiccheckpoint.store.PutMode}, {@link io.atomiccheckpoint.store.CopyOptions}, {@link io.atomiccheckpoint.store.GetOptions}), results, settings and store errors.
 */
package io.atomiccheckpoint.store;
