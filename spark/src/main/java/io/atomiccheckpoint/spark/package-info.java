/**
 * The Spark Structured Streaming plug-in: {@link io.atomiccheckpoint.spark.AtomicCheckpointFileManager}, a
 * {@code CheckpointFileManager} whose atomic writes are single create-only puts on the library's stores, and
 * {@link io.atomiccheckpoint.spark.StoreFileSystem}, the Hadoop filesystem of its {@code acgs://}, {@code acs3://}
 * and {@code acaz://} checkpoint locations.
 */
package io.atomiccheckpoint.spark;
