package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.commit.CommitSettings;
import java.util.List;

/** The contenders of one run, all sharing the same commit settings (so the floor has our concurrency). */
final class Contenders {
    static final String PARALLEL_FLOOR = "raw parallel copy";
    static final String SEQUENTIAL = "sequential copy loop";
    static final String BATCHED_FLOOR = "raw batched copy";

    private Contenders() {
    }

    static List<Contender> all(CommitSettings settings) {
        return List.of(StrategyContender.prefixCopy(settings),
                CopyLoopContender.single(PARALLEL_FLOOR, settings.copyConcurrency()),
                CopyLoopContender.batched(BATCHED_FLOOR, settings.copyConcurrency()),
                CopyLoopContender.single(SEQUENTIAL, 1),
                StrategyContender.commitInPlace(settings),
                new HadoopRenameContender());
    }
}
