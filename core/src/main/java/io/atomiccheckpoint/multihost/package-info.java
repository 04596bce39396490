/**
 * Synchronising the hosts of a multi-host job through the store itself.
 */
package io.atomiccheckpoint.multihost;
