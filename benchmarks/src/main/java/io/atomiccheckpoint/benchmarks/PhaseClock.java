package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.atomicity.CommitObserver;
import io.atomiccheckpoint.atomicity.CommitStep;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Notes when a commit reaches each step, to split its wall time into the marker check, the copy phase
 * (listing and copies), the marker write and the clean-up: the copy phase is what the raw loops compare with.
 */
final class PhaseClock implements CommitObserver {
    private final Map<CommitStep, Long> reached = new EnumMap<>(CommitStep.class);

    @Override
    public synchronized void onStep(CommitStep step, long index) {
        reached.putIfAbsent(step, System.nanoTime());
    }

    /** Phase name to nanoseconds, for a finalize that ran from {@code start} to {@code end}; empty if none. */
    synchronized Map<String, Long> phases(long start, long end) {
        Map<String, Long> out = new LinkedHashMap<>();
        Long started = reached.get(CommitStep.STARTED);
        Long beforeMarker = reached.get(CommitStep.BEFORE_MARKER);
        Long markerWritten = reached.get(CommitStep.MARKER_WRITTEN);
        if (started == null || beforeMarker == null || markerWritten == null) {
            return out;
        }
        out.put("check", started - start);
        out.put("copy", beforeMarker - started);
        out.put("marker", markerWritten - beforeMarker);
        out.put("clean-up", end - markerWritten);
        return out;
    }
}
