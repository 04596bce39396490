package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.store.Store;
import java.util.Optional;

/**
 * The measured side of a target: our store, the raw SDK copy the copy-loop peers use, and the Hadoop
 * connector where one can reach the emulator, all on the same emulator.
 */
record Connection(Store store, RawCopier raw, Optional<HadoopRename> hadoop) implements AutoCloseable {
    @Override
    public void close() {
        hadoop.ifPresent(HadoopRename::close);
        store.close();
    }
}
