package io.atomiccheckpoint.micrometer;

import io.atomiccheckpoint.atomicity.CommitObserver;
import io.atomiccheckpoint.atomicity.CommitObserver.Transfer;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.spi.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Binds commits and store requests to a Micrometer {@link MeterRegistry}. Meters (each with the common tags given
 * here):
 * <ul>
 *   <li>{@value #PHASE_TIMER} (timer, tag {@code phase}): {@code copy} from the commit's start until every object is
 *       in place, {@code marker} for the fenced marker write, {@code cleanup} from the marker until the commit
 *       finished (background clean-up included);</li>
 *   <li>{@value #OBJECTS} and {@value #BYTES} (counters, tag {@code transfer}: {@code staged} or {@code copied});</li>
 *   <li>{@value #REQUESTS} (counter, tag {@code operation}) and {@value #FAILURES} (counter, tags {@code operation}
 *       and {@code kind}, the {@link io.atomiccheckpoint.ErrorKind}) for a store wrapped by {@link #instrument}.</li>
 * </ul>
 */
public final class CheckpointMetrics {
    /** Timer of the commit phases. */
    public static final String PHASE_TIMER = "atomiccheckpoint.commit.phase";
    /** Counter of objects moved. */
    public static final String OBJECTS = "atomiccheckpoint.objects";
    /** Counter of bytes moved. */
    public static final String BYTES = "atomiccheckpoint.bytes";
    /** Counter of store requests. */
    public static final String REQUESTS = "atomiccheckpoint.store.requests";
    /** Counter of failed store requests and failed objects of batch deletes. */
    public static final String FAILURES = "atomiccheckpoint.store.failures";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<Transfer, Counter> objects = new EnumMap<>(Transfer.class);
    private final Map<Transfer, Counter> bytes = new EnumMap<>(Transfer.class);
    private final Timer copyPhase;
    private final Timer markerPhase;
    private final Timer cleanupPhase;

    /** Meters in {@code registry}, each carrying {@code commonTags} (for example the job's name). */
    public CheckpointMetrics(MeterRegistry registry, Iterable<Tag> commonTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(commonTags);
        for (Transfer t : Transfer.values()) {
            String name = t.name().toLowerCase(java.util.Locale.ROOT);
            objects.put(t, Counter.builder(OBJECTS).tags(tags).tag("transfer", name)
                    .description("objects staged or copied into final locations").register(registry));
            bytes.put(t, Counter.builder(BYTES).tags(tags).tag("transfer", name).baseUnit("bytes")
                    .description("bytes staged or copied into final locations").register(registry));
        }
        this.copyPhase = phase("copy");
        this.markerPhase = phase("marker");
        this.cleanupPhase = phase("cleanup");
    }

    public CheckpointMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    private Timer phase(String name) {
        return Timer.builder(PHASE_TIMER).tags(tags).tag("phase", name)
                .description("duration of one phase of a commit").register(registry);
    }

    /**
     * An observer for one commit (pass it in {@code TemporaryPathOptions}): it keeps that commit's phase start
     * times, so give each concurrent commit its own. The counters it feeds are shared.
     */
    public CommitObserver commitObserver() {
        return new PhaseObserver();
    }

    /** {@code store} with its requests and failures counted; wrap it before {@code Store.of}. */
    public ObjectStore instrument(ObjectStore store) {
        return new MeteredObjectStore(store, registry, tags);
    }

    private final class PhaseObserver implements CommitObserver {
        private final Map<CommitStep, Long> seen = new EnumMap<>(CommitStep.class);

        @Override
        public void onStep(CommitStep step, long index) {
            long now = registry.config().clock().monotonicTime();
            switch (step) {
                case BEFORE_MARKER -> record(copyPhase, CommitStep.STARTED, now);
                case MARKER_WRITTEN -> record(markerPhase, CommitStep.BEFORE_MARKER, now);
                case FINISHED -> record(cleanupPhase, CommitStep.MARKER_WRITTEN, now);
                default -> {
                    // Per-object steps and the start only mark time.
                }
            }
            if (index == 0) {
                synchronized (seen) {
                    seen.put(step, now);
                }
            }
        }

        private void record(Timer timer, CommitStep from, long now) {
            Long start;
            synchronized (seen) {
                start = seen.get(from);
            }
            // A resumed commit that had already written its marker skips phases; it records none for them.
            if (start != null) {
                timer.record(now - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void onTransfer(Transfer transfer, long size) {
            objects.get(transfer).increment();
            bytes.get(transfer).increment(size);
        }
    }
}
