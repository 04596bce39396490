/**
 * A store in this process's memory for unit tests, with hooks to inject faults and pause calls.
 */
package io.atomiccheckpoint.store.memory;
