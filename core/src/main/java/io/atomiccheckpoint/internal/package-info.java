/**
 * Machinery the library's own packages share and users must not call: it is public only because Java 17
 * without modules cannot share a class between packages otherwise, and it may change in any release.
 */
package io.atomiccheckpoint.internal;
