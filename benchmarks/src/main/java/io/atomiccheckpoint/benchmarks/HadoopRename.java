package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;

/** A Hadoop connector's view of a store, for the {@code FileSystem.rename} peer. */
interface HadoopRename extends AutoCloseable {
    /** The connector's name for the table, for example {@code Hadoop rename (hadoop-azure WASB 3.4.2)}. */
    String name();

    /** Creates {@code directory} as the connector's own writers would before writing into it (not timed). */
    void prepare(Location directory);

    /** Renames {@code source} to {@code target}, failing if the connector reports it did not. */
    void rename(Location source, Location target);

    @Override
    void close();
}
