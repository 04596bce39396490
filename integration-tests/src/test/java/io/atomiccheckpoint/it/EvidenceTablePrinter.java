package io.atomiccheckpoint.it;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the {@link EvidenceTable} and the {@link OrbaxInteropTable} once every test of the run has finished
 * (registered as a service).
 */
public final class EvidenceTablePrinter implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (!EvidenceTable.isEmpty()) {
            System.out.println();
            System.out.println("Atomicity evidence (per store):");
            System.out.println(EvidenceTable.render());
            System.out.println();
        }
        if (!OrbaxInteropTable.isEmpty()) {
            System.out.println();
            System.out.println("Orbax interop:");
            System.out.println(OrbaxInteropTable.render());
            System.out.println();
        }
    }
}
