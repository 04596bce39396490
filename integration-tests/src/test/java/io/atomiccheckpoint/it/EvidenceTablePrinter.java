package io.atomiccheckpoint.it;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/** Prints the {@link EvidenceTable} once every test of the run has finished (registered as a service). */
public final class EvidenceTablePrinter implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (!EvidenceTable.isEmpty()) {
            System.out.println();
            System.out.println("Atomicity evidence (per store):");
            System.out.println(EvidenceTable.render());
            System.out.println();
        }
    }
}
