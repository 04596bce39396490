package io.atomiccheckpoint.checkpoints;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which committed checkpoints to keep, with the names and meanings of Orbax's preservation policies
 * ({@code LatestN}, {@code EveryNSteps}, {@code EveryNSeconds}, {@code CustomPolicy}, {@code AnyPreservationPolicy}).
 * A checkpoint is deleted only if no policy keeps it; {@link CheckpointDirectory#planRetention} also always keeps the
 * latest checkpoint, whatever the policy says.
 */
public sealed interface RetentionPolicy permits RetentionPolicy.LatestN, RetentionPolicy.EveryNSteps,
        RetentionPolicy.EveryNSeconds, RetentionPolicy.Custom, RetentionPolicy.AnyOf {

    /**
     * The checkpoints this policy keeps.
     *
     * @param oldestFirst every committed checkpoint that has a step number, in ascending step order
     * @return a subset of {@code oldestFirst}
     */
    Set<CommittedCheckpoint> keep(List<CommittedCheckpoint> oldestFirst);

    /** A short name for plans and logs, such as {@code latest-3}. */
    String describe();

    /** Keeps a checkpoint if any of {@code policies} keeps it. */
    static RetentionPolicy anyOf(RetentionPolicy... policies) {
        return new AnyOf(List.of(policies));
    }

    /** Keeps the {@code n} checkpoints with the highest steps (Orbax's {@code max_to_keep}). */
    record LatestN(int n) implements RetentionPolicy {
        public LatestN {
            if (n < 0) {
                throw new IllegalArgumentException("LatestN needs n >= 0, was " + n);
            }
        }

        @Override
        public Set<CommittedCheckpoint> keep(List<CommittedCheckpoint> oldestFirst) {
            return new HashSet<>(oldestFirst.subList(Math.max(0, oldestFirst.size() - n), oldestFirst.size()));
        }

        @Override
        public String describe() {
            return "latest-" + n;
        }
    }

    /** Keeps every checkpoint whose step is a multiple of {@code n} (Orbax's {@code keep_period}). */
    record EveryNSteps(long n) implements RetentionPolicy {
        public EveryNSteps {
            if (n < 1) {
                throw new IllegalArgumentException("EveryNSteps needs n >= 1, was " + n);
            }
        }

        @Override
        public Set<CommittedCheckpoint> keep(List<CommittedCheckpoint> oldestFirst) {
            Set<CommittedCheckpoint> kept = new HashSet<>();
            oldestFirst.stream().filter(c -> c.step().getAsLong() % n == 0).forEach(kept::add);
            return kept;
        }

        @Override
        public String describe() {
            return "every-" + n + "-steps";
        }
    }

    /**
     * Keeps one checkpoint per {@code interval} of commit time (Orbax's {@code keep_time_interval}): walking from
     * the oldest step, the first checkpoint with a commit time is kept, then each one committed at least
     * {@code interval} after the last one kept. A checkpoint whose commit time is unknown is not kept by this
     * policy.
     */
    record EveryNSeconds(Duration interval) implements RetentionPolicy {
        public EveryNSeconds {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("EveryNSeconds needs a positive interval, was " + interval);
            }
        }

        /** One checkpoint per {@code seconds} seconds. */
        public static EveryNSeconds of(long seconds) {
            return new EveryNSeconds(Duration.ofSeconds(seconds));
        }

        @Override
        public Set<CommittedCheckpoint> keep(List<CommittedCheckpoint> oldestFirst) {
            Set<CommittedCheckpoint> kept = new HashSet<>();
            Instant last = null;
            for (CommittedCheckpoint c : oldestFirst) {
                Instant t = c.commitTime().orElse(null);
                if (t != null && (last == null || !t.isBefore(last.plus(interval)))) {
                    kept.add(c);
                    last = t;
                }
            }
            return kept;
        }

        @Override
        public String describe() {
            return "every-" + interval.toSeconds() + "-seconds";
        }
    }

    /** Keeps each checkpoint {@code keep} accepts (Orbax's {@code CustomPolicy}). */
    record Custom(String name, Predicate<CommittedCheckpoint> keep) implements RetentionPolicy {
        public Custom {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(keep, "keep");
        }

        @Override
        public Set<CommittedCheckpoint> keep(List<CommittedCheckpoint> oldestFirst) {
            Set<CommittedCheckpoint> kept = new HashSet<>();
            oldestFirst.stream().filter(keep).forEach(kept::add);
            return kept;
        }

        @Override
        public String describe() {
            return name;
        }
    }

    /** Keeps what any of {@code policies} keeps; with none, keeps nothing (but the latest, see above). */
    record AnyOf(List<RetentionPolicy> policies) implements RetentionPolicy {
        public AnyOf {
            policies = List.copyOf(policies);
        }

        @Override
        public Set<CommittedCheckpoint> keep(List<CommittedCheckpoint> oldestFirst) {
            Set<CommittedCheckpoint> kept = new HashSet<>();
            policies.forEach(p -> kept.addAll(p.keep(oldestFirst)));
            return kept;
        }

        @Override
        public String describe() {
            List<String> names = new ArrayList<>();
            policies.forEach(p -> names.add(p.describe()));
            return String.join(" or ", names);
        }
    }
}
