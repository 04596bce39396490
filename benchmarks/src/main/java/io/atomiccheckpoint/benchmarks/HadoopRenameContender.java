package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;

/** Hadoop's {@code FileSystem.rename} of the whole directory: the commit step most JVM users have today. */
final class HadoopRenameContender implements Contender {
    static final String NAME = "Hadoop rename";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Finalizer prepare(Connection connection, Location finalLocation) {
        HadoopRename hadoop = connection.hadoop().orElseThrow(() -> new IllegalStateException(
                "no Hadoop connector on this store"));
        Location source = finalLocation.sibling(finalLocation.name() + ".hadoop-tmp");
        hadoop.prepare(source);
        return new Finalizer() {
            @Override
            public Location source() {
                return source;
            }

            @Override
            public void finalizeNow(Workload workload) {
                hadoop.rename(source, finalLocation);
            }
        };
    }
}
