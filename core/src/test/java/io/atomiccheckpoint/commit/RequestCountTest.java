package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.When;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The store calls one save costs, counted at the SPI: what fencing adds to a commit, and that the clean-up no
 * longer lists the temporary objects again. Printed for the closing note and the README; asserted so that a
 * change in the count is a conscious one.
 */
class RequestCountTest {
    private static final int OBJECTS = 2500;

    @Test
    void aSaveOfNObjectsCostsNCopiesAndAFixedNumberOfOtherCalls() throws Exception {
        InMemoryObjectStore memory = new InMemoryObjectStore();
        Map<String, Integer> calls = new TreeMap<>();
        String[] phase = {"stage"};
        memory.intercept(c -> {
            if (c.when() == When.BEFORE && !c.operation().equals("copy-source")) {
                synchronized (calls) {
                    calls.merge(phase[0] + " " + c.operation(), 1, Integer::sum);
                }
            }
        });
        Store store = Store.of(memory);
        PrefixCopyCommit strategy = new PrefixCopyCommit(store,
                CommitSettings.builder().cleanupInBackground(false).build());
        TemporaryPath checkpoint = strategy.fromFinal(Location.parse("mem://bucket/run/step_1"));
        phase[0] = "create";
        checkpoint.createBlocking();
        phase[0] = "stage";
        for (int i = 0; i < OBJECTS; i++) {
            checkpoint.staging().write(String.format("part-%05d", i), new byte[] {(byte) i});
        }
        phase[0] = "commit";
        CommitResult result = checkpoint.commitBlocking();
        assertThat(result.cleanupFailures()).isEmpty();
        System.out.println("store calls of one save of " + OBJECTS + " objects: " + calls);

        // create(): marker check, lease stat, lease put, marker check again, two listings of leftovers.
        assertThat(calls).containsEntry("create stat", 3).containsEntry("create put", 1)
                .containsEntry("create list", 2);
        // commit(): N copies; 3 listing pages; the seal and the manifest as lease updates; one marker copy; the
        // marker check; the clean-up deletes what the manifest lists in batches of 1000, then the lease, then
        // one listing finds nothing left.
        assertThat(calls.get("commit copy")).isEqualTo(OBJECTS + 1);
        assertThat(calls.get("commit put")).isEqualTo(2);
        assertThat(calls.get("commit stat")).as("the marker check").isEqualTo(1);
        assertThat(calls.get("commit list")).as("listing pages: 3 of the attempt, 1 of what is left").isEqualTo(4);
        // The in-memory store reports each object of a batch delete: 3 batches and the lease are 4 requests.
        assertThat(calls.get("commit delete")).as("objects deleted").isEqualTo(OBJECTS + 1);
    }
}
