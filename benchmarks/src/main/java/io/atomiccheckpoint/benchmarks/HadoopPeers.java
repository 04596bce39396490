package io.atomiccheckpoint.benchmarks;

import java.util.List;

/** The peers and stores the issue asks for that this harness cannot run, and why. */
final class HadoopPeers {
    private HadoopPeers() {
    }

    static List<String> reasons() {
        return List.of(
                "Azure ABFS rename: needs the Data Lake (dfs) endpoint, which Azurite does not emulate; WASB (the"
                        + " blob-endpoint connector in hadoop-azure) is measured instead.");
    }
}
