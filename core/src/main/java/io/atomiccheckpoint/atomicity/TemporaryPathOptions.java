package io.atomiccheckpoint.atomicity;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-checkpoint options of the reference design's {@code from_final}/{@code from_temporary}: file
 * options, an optional checkpoint metadata store and a snapshot type; plus what Java needs on top: the writer
 * id recorded in the marker, the executor that runs {@code create} and {@code commit}, a commit observer and
 * a clock.
 */
public final class TemporaryPathOptions {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Runs create and commit when no executor is given; daemon threads so a library never blocks JVM exit. */
    private static final ExecutorService DEFAULT_EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "atomic-checkpoint-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static final String DEFAULT_WRITER_ID = defaultWriterId();

    private final FileOptions fileOptions;
    private final CheckpointMetadataStore metadataStore;
    private final SnapshotType snapshotType;
    private final String writerId;
    private final Executor executor;
    private final CommitObserver observer;
    private final Clock clock;
    private final boolean resumeUnsealed;

    private TemporaryPathOptions(Builder b) {
        this.fileOptions = b.fileOptions;
        this.metadataStore = b.metadataStore;
        this.snapshotType = b.snapshotType;
        this.writerId = b.writerId;
        this.executor = b.executor;
        this.observer = b.observer;
        this.clock = b.clock;
        this.resumeUnsealed = b.resumeUnsealed;
    }

    private static String defaultWriterId() {
        // host@pid plus a random suffix, so two processes with recycled pids still differ.
        String runtime = ManagementFactory.getRuntimeMXBean().getName();
        return runtime + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every option at its default. */
    public static TemporaryPathOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().fileOptions(fileOptions).metadataStore(metadataStore).snapshotType(snapshotType)
                .writerId(writerId).executor(executor).observer(observer).clock(clock).resumeUnsealed(resumeUnsealed);
    }

    public FileOptions fileOptions() {
        return fileOptions;
    }

    public Optional<CheckpointMetadataStore> metadataStore() {
        return Optional.ofNullable(metadataStore);
    }

    public SnapshotType snapshotType() {
        return snapshotType;
    }

    /** Recorded in the marker; defaults to host@pid plus a random suffix, fixed for the JVM. */
    public String writerId() {
        return writerId;
    }

    public Executor executor() {
        return executor;
    }

    public CommitObserver observer() {
        return observer;
    }

    /** Whether a resumed commit may commit an attempt that was never sealed. */
    public boolean resumeUnsealed() {
        return resumeUnsealed;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "TemporaryPathOptions{" + fileOptions + ", metadataStore=" + (metadataStore != null) + ", snapshotType="
                + snapshotType + ", writerId=" + writerId + "}";
    }

    /** Builds {@link TemporaryPathOptions}. */
    public static final class Builder {
        private FileOptions fileOptions = FileOptions.defaults();
        private CheckpointMetadataStore metadataStore;
        private SnapshotType snapshotType = SnapshotType.NONE;
        private String writerId = DEFAULT_WRITER_ID;
        private Executor executor = DEFAULT_EXECUTOR;
        private CommitObserver observer = CommitObserver.NONE;
        private Clock clock = Clock.systemUTC();
        private boolean resumeUnsealed;

        private Builder() {
        }

        /**
         * Lets {@code fromTemporary(...).commit()} commit an attempt whose writers never sealed it. Off by
         * default: an unsealed attempt may be a partial checkpoint (a writer was killed while staging), and
         * committing it would publish that as complete. Turn it on only when every writer is known to have
         * finished.
         */
        public Builder resumeUnsealed(boolean resumeUnsealed) {
            this.resumeUnsealed = resumeUnsealed;
            return this;
        }

        public Builder fileOptions(FileOptions fileOptions) {
            this.fileOptions = Objects.requireNonNull(fileOptions, "fileOptions");
            return this;
        }

        /** Records init and commit timestamps in the checkpoint; null for none. */
        public Builder metadataStore(CheckpointMetadataStore metadataStore) {
            this.metadataStore = metadataStore;
            return this;
        }

        public Builder snapshotType(SnapshotType snapshotType) {
            this.snapshotType = Objects.requireNonNull(snapshotType, "snapshotType");
            return this;
        }

        public Builder writerId(String writerId) {
            if (writerId == null || writerId.isBlank()) {
                throw new IllegalArgumentException("writerId must not be blank");
            }
            this.writerId = writerId;
            return this;
        }

        /** Runs {@code create} and {@code commit}; the copies of a commit run on threads of their own. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder observer(CommitObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TemporaryPathOptions build() {
            return new TemporaryPathOptions(this);
        }
    }
}
