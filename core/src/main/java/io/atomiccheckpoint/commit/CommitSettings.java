package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * The knobs of the commit strategies, shared by every checkpoint a factory makes: the marker's name, the
 * temporary suffix, how many copies run at once, the listing page size and the largest marker accepted.
 * Defaults match the reference implementation's names, so its readers recognise our checkpoints.
 */
public final class CommitSettings {
    /** The reference implementation's commit marker name. */
    public static final String DEFAULT_MARKER_NAME = "commit_success.txt";
    /** The reference implementation's temporary-directory suffix. */
    public static final String DEFAULT_TEMPORARY_SUFFIX = ".orbax-checkpoint-tmp";
    /** Copies in flight at once during a commit. */
    public static final int DEFAULT_COPY_CONCURRENCY = 32;
    /** Batch delete requests in flight at once while the temporary location is removed. */
    public static final int DEFAULT_DELETE_CONCURRENCY = 4;
    /** Objects per listing page; every cloud accepts it. */
    public static final int DEFAULT_LIST_PAGE_SIZE = 1000;
    /** Largest marker read: about 400 000 entries. */
    public static final long DEFAULT_MAX_MARKER_BYTES = 64L * 1024 * 1024;

    private static final CommitSettings DEFAULTS = builder().build();
    /** What follows the suffix in the temporaries Orbax wrote before 0.11.20: {@code -<N>}. */
    private static final Pattern LEGACY_COUNTER = Pattern.compile("-[0-9]{1,20}");

    private final String markerName;
    private final String temporarySuffix;
    private final int copyConcurrency;
    private final int listPageSize;
    private final long maxMarkerBytes;
    private final int deleteBatchSize;
    private final int deleteConcurrency;
    private final boolean cleanupInBackground;
    private final Executor copyExecutor;

    private CommitSettings(Builder b) {
        this.markerName = b.markerName;
        this.temporarySuffix = b.temporarySuffix;
        this.copyConcurrency = b.copyConcurrency;
        this.listPageSize = b.listPageSize;
        this.maxMarkerBytes = b.maxMarkerBytes;
        this.deleteBatchSize = b.deleteBatchSize;
        this.deleteConcurrency = b.deleteConcurrency;
        this.cleanupInBackground = b.cleanupInBackground;
        this.copyExecutor = b.copyExecutor;
    }

    public static CommitSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().markerName(markerName).temporarySuffix(temporarySuffix).copyConcurrency(copyConcurrency)
                .listPageSize(listPageSize).maxMarkerBytes(maxMarkerBytes).deleteBatchSize(deleteBatchSize)
                .deleteConcurrency(deleteConcurrency).cleanupInBackground(cleanupInBackground)
                .copyExecutorOrNone(copyExecutor);
    }

    public String markerName() {
        return markerName;
    }

    public String temporarySuffix() {
        return temporarySuffix;
    }

    /**
     * Single copies in flight in a commit (32 by default). Where the store sends copies in batches (GCS),
     * {@code ceil(4 * copyConcurrency / batch size)} batches are in flight instead.
     */
    public int copyConcurrency() {
        return copyConcurrency;
    }

    /**
     * The executor the copies of a commit run on, if the user gave one; empty means each commit starts
     * {@link #copyConcurrency()} copy threads of its own and stops them when it ends.
     */
    public Optional<Executor> copyExecutor() {
        return Optional.ofNullable(copyExecutor);
    }

    public int listPageSize() {
        return listPageSize;
    }

    public long maxMarkerBytes() {
        return maxMarkerBytes;
    }

    /** Objects per delete request on {@code store}: the configured size, capped by what the store accepts. */
    public int deleteBatchSize(Store store) {
        int max = Math.max(1, store.maxDeleteBatchSize());
        return deleteBatchSize == 0 ? max : Math.min(deleteBatchSize, max);
    }

    /** Batch delete requests in flight at once when a prefix is removed. */
    public int deleteConcurrency() {
        return deleteConcurrency;
    }

    /** The name of the attempt lease inside a temporary location (see {@link PrefixCopyCommit} on fencing). */
    public static final String LEASE_NAME = "_ATTEMPT";
    /** The name prefix of each attempt's own staging directory inside a temporary location. */
    public static final String ATTEMPT_PREFIX = "attempt-";

    /** The attempt lease of a final location: {@code <final><suffix>/_ATTEMPT}. No I/O. */
    public Location lease(Location finalLocation) {
        return temporaryFor(finalLocation).resolve(LEASE_NAME);
    }

    /** Where attempt {@code attemptId} of a final location stages its objects. No I/O. */
    public Location attemptLocation(Location finalLocation, String attemptId) {
        return temporaryFor(finalLocation).resolve(ATTEMPT_PREFIX + attemptId);
    }

    /**
     * Whether {@code commit()} completes as soon as the marker is written, with the temporary location deleted
     * afterwards ({@link io.atomiccheckpoint.atomicity.CommitResult#cleanup()} reports how that went).
     */
    public boolean cleanupInBackground() {
        return cleanupInBackground;
    }

    /** The marker's location inside a final location. */
    public Location marker(Location finalLocation) {
        return finalLocation.resolve(markerName);
    }

    /** The sibling temporary location of a final location: {@code <final><suffix>}. No I/O. */
    public Location temporaryFor(Location finalLocation) {
        return finalLocation.sibling(finalLocation.name() + temporarySuffix);
    }

    /**
     * The final location a sibling temporary location belongs to: its name up to the suffix, as Orbax derives it
     * (so a legacy {@code <final><suffix>-<N>} belongs to {@code <final>}); its name must be a temporary name.
     */
    public Location finalFor(Location temporary) {
        String name = temporary.name();
        if (!isTemporaryName(name)) {
            throw new IllegalArgumentException(temporary + " is not named like a temporary location (suffix "
                    + temporarySuffix + ")");
        }
        return temporary.sibling(name.substring(0, name.indexOf(temporarySuffix)));
    }

    /**
     * True when a name marks a temporary location: {@code <final><suffix>}, which this library and Orbax since
     * 0.11.20 write, or {@code <final><suffix>-<N>}, which older Orbax releases wrote. Listings skip both as
     * checkpoints and clean-up may remove them; only the first kind can be an attempt of this library's.
     */
    public boolean isTemporaryName(String name) {
        int at = name.indexOf(temporarySuffix);
        if (at <= 0) {
            return false;
        }
        String rest = name.substring(at + temporarySuffix.length());
        return rest.isEmpty() || LEGACY_COUNTER.matcher(rest).matches();
    }

    /** True when a name is {@code <final><suffix>} exactly: a temporary location this library's strategies use. */
    public boolean isOwnTemporaryName(String name) {
        return isTemporaryName(name) && name.indexOf(temporarySuffix) == name.length() - temporarySuffix.length();
    }

    /**
     * True when the suffix occurs anywhere in a name. Orbax tests for it as a substring, so it takes any such
     * name for an unfinished checkpoint, and its {@code cleanup_temporary_paths} deletes it: no checkpoint may be
     * named so, and listings never report one.
     */
    public boolean containsTemporarySuffix(String name) {
        return name.contains(temporarySuffix);
    }

    /** The attempt id a location names if it is an attempt's staging directory inside a temporary location. */
    public java.util.Optional<String> attemptIdOf(Location location) {
        String name = location.name();
        boolean inTemporary = location.parent().map(p -> isOwnTemporaryName(p.name())).orElse(false);
        if (inTemporary && name.startsWith(ATTEMPT_PREFIX) && name.length() > ATTEMPT_PREFIX.length()) {
            return java.util.Optional.of(name.substring(ATTEMPT_PREFIX.length()));
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return "CommitSettings{marker=" + markerName + ", suffix=" + temporarySuffix + ", copyConcurrency="
                + copyConcurrency + ", listPageSize=" + listPageSize + ", maxMarkerBytes=" + maxMarkerBytes
                + ", deleteBatchSize=" + (deleteBatchSize == 0 ? "store maximum" : deleteBatchSize)
                + ", deleteConcurrency=" + deleteConcurrency + ", cleanupInBackground=" + cleanupInBackground
                + ", copyExecutor=" + (copyExecutor == null ? "one pool per commit" : "shared") + "}";
    }

    /** Builds {@link CommitSettings}; every value is checked when set. */
    public static final class Builder {
        private String markerName = DEFAULT_MARKER_NAME;
        private String temporarySuffix = DEFAULT_TEMPORARY_SUFFIX;
        private int copyConcurrency = DEFAULT_COPY_CONCURRENCY;
        private int listPageSize = DEFAULT_LIST_PAGE_SIZE;
        private long maxMarkerBytes = DEFAULT_MAX_MARKER_BYTES;
        private int deleteBatchSize;
        private int deleteConcurrency = DEFAULT_DELETE_CONCURRENCY;
        private boolean cleanupInBackground = true;
        private Executor copyExecutor;

        private Builder() {
        }

        /**
         * Runs the copies of every commit made with these settings on {@code executor}, which the caller owns,
         * shares among commits and stores, bounds (for example {@code Executors.newFixedThreadPool(16)}) and
         * shuts down after the last commit; the library never shuts it down. Without it each commit starts
         * {@code copyConcurrency} threads of its own, so parallel commits add up. With it, {@code copyConcurrency}
         * still bounds how many copies one commit queues at once (four per unit, as without it), while the
         * executor bounds the threads. The executor must queue what it cannot run at once (a rejected copy fails
         * the commit, which can be resumed) and must not be the single-thread executor of
         * {@code TemporaryPathOptions.executor()}: the commit waits on that thread for its copies.
         */
        public Builder copyExecutor(Executor executor) {
            this.copyExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        private Builder copyExecutorOrNone(Executor executor) {
            this.copyExecutor = executor;
            return this;
        }

        /**
         * True (the default): {@code commit()} completes when the marker is written, which is when readers see the
         * checkpoint, and the temporary location is deleted afterwards on a background thread; its outcome is
         * {@code CommitResult.cleanup()}. The clean-up is a quarter to a half of a commit's time on object stores
         * and nobody waits for it. The JVM does not exit before a started clean-up finishes (its thread is not a
         * daemon); a process killed first leaves a temporary location that {@code create()} of the same
         * checkpoint would find committed and {@code CheckpointDirectory.cleanupTemporaries} removes. False:
         * {@code commit()} completes after the clean-up, for callers that delete or reuse the temporary location
         * themselves right after.
         */
        public Builder cleanupInBackground(boolean cleanupInBackground) {
            this.cleanupInBackground = cleanupInBackground;
            return this;
        }

        /**
         * Batch delete requests in flight at once while a temporary location is removed (1 to 64). Each holds
         * up to a batch of names in memory, so this bounds memory as well as load.
         */
        public Builder deleteConcurrency(int deleteConcurrency) {
            if (deleteConcurrency < 1 || deleteConcurrency > 64) {
                throw new IllegalArgumentException("delete concurrency must be 1 to 64, was " + deleteConcurrency);
            }
            this.deleteConcurrency = deleteConcurrency;
            return this;
        }

        /** Objects per delete request; 0 (the default) means the store's largest batch. */
        public Builder deleteBatchSize(int deleteBatchSize) {
            if (deleteBatchSize < 0) {
                throw new IllegalArgumentException("delete batch size must be 0 (store maximum) or positive, was "
                        + deleteBatchSize);
            }
            this.deleteBatchSize = deleteBatchSize;
            return this;
        }

        /** A single path segment, for example {@code commit_success.txt}. */
        public Builder markerName(String markerName) {
            checkSegment("marker name", markerName);
            this.markerName = markerName;
            return this;
        }

        /** Appended to the final name to form the temporary name; must start with '.'. */
        public Builder temporarySuffix(String temporarySuffix) {
            checkSegment("temporary suffix", temporarySuffix);
            if (!temporarySuffix.startsWith(".") || temporarySuffix.length() < 2) {
                throw new IllegalArgumentException("temporary suffix must start with '.' and name something: '"
                        + temporarySuffix + "'");
            }
            this.temporarySuffix = temporarySuffix;
            return this;
        }

        public Builder copyConcurrency(int copyConcurrency) {
            if (copyConcurrency < 1 || copyConcurrency > 1024) {
                throw new IllegalArgumentException("copy concurrency must be 1 to 1024, was " + copyConcurrency);
            }
            this.copyConcurrency = copyConcurrency;
            return this;
        }

        public Builder listPageSize(int listPageSize) {
            if (listPageSize < 1 || listPageSize > 5000) {
                throw new IllegalArgumentException("list page size must be 1 to 5000, was " + listPageSize);
            }
            this.listPageSize = listPageSize;
            return this;
        }

        public Builder maxMarkerBytes(long maxMarkerBytes) {
            if (maxMarkerBytes < 1024) {
                throw new IllegalArgumentException("max marker bytes must be at least 1024, was " + maxMarkerBytes);
            }
            this.maxMarkerBytes = maxMarkerBytes;
            return this;
        }

        private static void checkSegment(String what, String value) {
            try {
                Location.parse("file:///x").resolve(value);
            } catch (InvalidLocationException e) {
                throw new IllegalArgumentException(what + " '" + value + "' is not a valid single name", e);
            }
            if (value.contains("/")) {
                throw new IllegalArgumentException(what + " '" + value + "' must be a single name without '/'");
            }
        }

        public CommitSettings build() {
            return new CommitSettings(this);
        }
    }
}
