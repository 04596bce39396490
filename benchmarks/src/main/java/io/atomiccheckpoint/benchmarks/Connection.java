package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.store.Store;
import java.util.Optional;

/**
 * The measured side of a target: our store, the raw SDK copy the copy-loop peers use, and the Hadoop
 * connector where one can reach the emulator, and a batched raw copy where the service has one (GCS), all on the
 * same emulator.
 */
record Connection(Store store, RawCopier raw, Optional<HadoopRename> hadoop, Optional<BatchCopier> batch)
        implements AutoCloseable {
    Connection(Store store, RawCopier raw, Optional<HadoopRename> hadoop) {
        this(store, raw, hadoop, Optional.empty());
    }

    @Override
    public void close() {
        hadoop.ifPresent(HadoopRename::close);
        store.close();
    }
}
