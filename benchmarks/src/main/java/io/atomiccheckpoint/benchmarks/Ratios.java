package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.commit.PrefixCopyCommit;
import java.util.List;
import java.util.Optional;

/** Finds rows of the same regime, store and workload, to put PrefixCopyCommit beside each peer. */
final class Ratios {
    private final List<Row> rows;

    Ratios(List<Row> rows) {
        this.rows = rows;
    }

    Optional<Row> find(Regime regime, String store, Workload workload, String contender) {
        return rows.stream().filter(r -> r.regime() == regime && r.store().equals(store)
                && r.workload().equals(workload) && r.contender().equals(contender)).findFirst();
    }

    /** PrefixCopyCommit's median divided by {@code row}'s: below 1 means ours was faster. */
    Optional<Double> oursOver(Row row) {
        return find(row.regime(), row.store(), row.workload(), PrefixCopyCommit.NAME)
                .map(ours -> ours.medianMillis() / row.medianMillis());
    }
}
