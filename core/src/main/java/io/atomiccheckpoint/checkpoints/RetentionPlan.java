package io.atomiccheckpoint.checkpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a {@link RetentionPolicy} decided for each committed checkpoint below a root, and why; made by
 * {@link CheckpointDirectory#planRetention} (which deletes nothing) and carried out by
 * {@link CheckpointDirectory#applyRetention}. Printing it is a dry run.
 *
 * @param decisions one per checkpoint: those with a step in ascending step order, then those without
 */
public record RetentionPlan(List<Decision> decisions) {
    /** The reason given for the checkpoint no policy may delete. */
    public static final String LATEST = "latest";

    public RetentionPlan {
        decisions = List.copyOf(decisions);
    }

    /**
     * One checkpoint's fate.
     *
     * @param reasons the policies (or {@link #LATEST}) that keep it; empty when it is to be deleted
     */
    public record Decision(CommittedCheckpoint checkpoint, boolean keep, List<String> reasons) {
        public Decision {
            reasons = List.copyOf(reasons);
        }
    }

    static RetentionPlan of(RetentionPolicy policy, List<CommittedCheckpoint> oldestFirst, List<Decision> unstepped) {
        List<RetentionPolicy> parts = policy instanceof RetentionPolicy.AnyOf any ? any.policies() : List.of(policy);
        List<Set<CommittedCheckpoint>> kept = new ArrayList<>();
        parts.forEach(p -> kept.add(p.keep(oldestFirst)));
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < oldestFirst.size(); i++) {
            CommittedCheckpoint c = oldestFirst.get(i);
            List<String> reasons = new ArrayList<>();
            for (int p = 0; p < parts.size(); p++) {
                if (kept.get(p).contains(c)) {
                    reasons.add(parts.get(p).describe());
                }
            }
            // Never the latest: a job restarting now must find something to resume from.
            if (i == oldestFirst.size() - 1) {
                reasons.add(LATEST);
            }
            decisions.add(new Decision(c, !reasons.isEmpty(), reasons));
        }
        decisions.addAll(unstepped);
        return new RetentionPlan(decisions);
    }

    /** The checkpoints to delete, oldest first. */
    public List<Decision> toDelete() {
        return decisions.stream().filter(d -> !d.keep()).toList();
    }

    /** The checkpoints kept. */
    public List<Decision> toKeep() {
        return decisions.stream().filter(Decision::keep).toList();
    }
}
