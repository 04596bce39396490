package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.AttemptNotSealedException;
import io.atomiccheckpoint.atomicity.AttemptSupersededException;
import io.atomiccheckpoint.atomicity.CheckpointMetadataStore;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStateUnknownException;
import io.atomiccheckpoint.atomicity.CommitObserver;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.commit.AttemptLease.Lease;
import io.atomiccheckpoint.commit.AttemptLease.State;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestEntry;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.manifest.ManifestWriter;
import io.atomiccheckpoint.staging.StagingArea;
import io.atomiccheckpoint.store.CopyOptions;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectVersion;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the three strategies share: attempts and their lease, the asynchronous plumbing of create and commit
 * (with cancellation), the clean-up of leftovers, the metadata timestamps, and the fenced marker write. Each
 * strategy adds only its own create and commit steps.
 *
 * <h2>Why no stale writer can tear or spoil a checkpoint</h2>
 * Every final location has one attempt lease ({@link AttemptLease}); its version is the token of the current
 * attempt. The argument, for the requests this class sends:
 * <ol>
 *   <li><b>{@code create()} revokes before it looks or deletes.</b> It replaces the lease with a conditional
 *       update ({@link PutMode#update}) or a create-only put, then checks for a marker, then deletes leftovers.
 *       If a stale attempt's marker landed before the revocation, the check sees it and {@code create()} stops
 *       without deleting anything. If it had not landed, it never can (point 2), so deleting is safe.</li>
 *   <li><b>Only the current token can produce a marker.</b> A commit writes its manifest into the lease with
 *       {@code update(v)} (v = its token), then copies the lease onto the marker name, create-only and pinned to
 *       the version that update returned ({@link CopyOptions#pinnedTo}). Each request is checked and applied
 *       by the store as one step: the update fails if any {@code create()} replaced the lease since v, and the
 *       copy fails if the lease changed after the update. So a marker exists only if no newer attempt started
 *       before it was written, and then that newer attempt sees it (point 1).</li>
 *   <li><b>A stale attempt's objects never enter a newer checkpoint.</b> Each attempt stages under its own
 *       directory ({@code <temporary>/attempt-<id>/}), and {@code create()} deletes the older attempts'
 *       directories before it deletes unmarked objects in the final location. A stale copy is pinned to the
 *       source version it listed, so once its source is deleted it can no longer land; one that landed before
 *       is deleted by the second step. A stale writer still staging writes only into its own directory, which
 *       no newer attempt lists.</li>
 *   <li><b>Losers always get a {@link CommitConflictException}</b>: {@link AttemptSupersededException} when a
 *       newer attempt revoked them, a plain conflict when another writer committed first.</li>
 * </ol>
 * Per store, the requests that carry the checks: the lease update is {@code ifGenerationMatch} on GCS,
 * {@code If-Match} on S3 and Azure, a compare-and-rename under a lock on the filesystem; the pinned marker copy
 * is {@code ifSourceGenerationMatch} + {@code ifGenerationMatch=0} (GCS rewrite),
 * {@code x-amz-copy-source-if-match} + {@code If-None-Match: *} (S3 CopyObject), a source {@code If-Match} +
 * {@code If-None-Match: *} (Azure Copy Blob From URL), and a version check and hard link under the source's lock
 * on the filesystem.
 *
 * <h2>Lost responses</h2>
 * The marker's commit id is {@code <attempt>.<nonce>}. When the marker copy fails in a way that leaves its
 * outcome open, the commit reads the marker: its own commit id means success. Otherwise it revokes its own
 * token (updating the lease back to a sealed document), after which its copy can no longer land, and reads the
 * marker once more: still absent means certainly not committed (a retryable failure; the attempt can be
 * resumed); if even that cannot be settled, {@link CommitStateUnknownException}.
 *
 * <h2>Cancellation</h2>
 * Cancelling the stage {@link #commit()} returned before the marker request is sent stops the copying between
 * objects and leaves the attempt sealed and resumable; the stage completes with a {@code CancellationException}
 * once the commit has stopped. Once the marker request is under way the stage can no longer be cancelled
 * ({@code cancel} returns false) and completes with the commit's real outcome.
 */
abstract class StoreTemporaryPath implements TemporaryPath {
    private static final Logger LOG = LoggerFactory.getLogger(StoreTemporaryPath.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    final Store store;
    final CommitSettings settings;
    final CommitMarkers markers;
    final Location base;
    final Location finalLocation;
    final TemporaryPathOptions options;
    final AttemptLease lease;
    private final String strategy;
    private final boolean attemptDirectories;
    private final boolean resumed;
    private volatile String attempt;
    private volatile boolean createdHere;
    /** This path's token while it holds the lease it took in create() or seal(); null otherwise. */
    private volatile String leaseVersion;
    private volatile boolean sealedHere;
    private volatile Instant createdAt;

    /**
     * @param base where attempts live: the sibling temporary location, or the final location for a strategy
     *     that stages in place
     * @param attemptDirectories whether each attempt stages in a directory of its own below {@code base}
     * @param attempt the attempt this path belongs to, if known (a path made from an attempt's location)
     * @param resumed whether this path was made by {@code fromTemporary}, so it may commit without create()
     */
    StoreTemporaryPath(String strategy, Store store, CommitSettings settings, Location base, Location finalLocation,
            TemporaryPathOptions options, boolean attemptDirectories, String attempt, boolean resumed) {
        this.strategy = strategy;
        this.store = store;
        this.settings = settings;
        this.markers = new CommitMarkers(store, settings);
        this.base = base;
        this.finalLocation = finalLocation;
        this.options = options;
        this.lease = new AttemptLease(store, settings, finalLocation);
        this.attemptDirectories = attemptDirectories;
        this.attempt = attempt;
        this.resumed = resumed;
    }

    @Override
    public Location get() {
        String a = attempt;
        return attemptDirectories && a != null ? settings.attemptLocation(finalLocation, a) : base;
    }

    @Override
    public Location getFinal() {
        return finalLocation;
    }

    /** The attempt this path belongs to, if known. */
    Optional<String> attempt() {
        return Optional.ofNullable(attempt);
    }

    /** Where this attempt stages: its own directory, or the base location for in-place strategies. */
    Location stagingRoot() {
        if (!attemptDirectories) {
            return base;
        }
        String a = attempt;
        if (a == null) {
            throw new AtomicCheckpointException(ErrorKind.INVALID_INPUT, "no attempt is known for " + finalLocation
                    + ": call create() on the primary, and give its get() to fromTemporary on the other hosts");
        }
        return settings.attemptLocation(finalLocation, a);
    }

    @Override
    public CompletionStage<Location> create() {
        return CompletableFuture.supplyAsync(() -> {
            startAttempt();
            createNow();
            createdAt = options.clock().instant();
            options.metadataStore().ifPresent(m -> m.writeInitTimestamp(get(), createdAt));
            LOG.debug("created attempt {} at {} for {}", attempt, get(), finalLocation);
            return get();
        }, options.executor());
    }

    @Override
    public CompletionStage<CommitResult> commit() {
        CommitFuture future = new CommitFuture();
        options.executor().execute(() -> {
            try {
                Instant start = options.clock().instant();
                CommitResult result = commitNow(start, future);
                LOG.info("committed {}", result);
                future.complete(result);
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        return future;
    }

    @Override
    public StagingArea staging() {
        StagingArea area = new StagingArea(store, stagingRoot(), Set.of(settings.markerName()),
                settings.copyConcurrency(), options.observer());
        // A write that fails once a newer attempt took over is reported as this attempt's defeat, not as the
        // store error it met (a deleted attempt directory, a revoked upload file). Only on failure: no lease read
        // on the write path.
        return attempt == null ? area : area.withFailureCheck(this::failIfSuperseded);
    }

    @Override
    public void seal() {
        Lease now = currentLease();
        if (now.state() == State.ACTIVE) {
            leaseVersion = replaceLease(now, State.SEALED);
            sealedHere = true;
        }
    }

    /** The strategy's create step, run after the lease was taken and the final location found uncommitted. */
    abstract void createNow();

    /**
     * The strategy's commit. It must call {@link Prelude#awaitToken()} before anything reaches the final location;
     * it ends with {@link #writeFencedMarker} (or, for a rename, its own commit point) and {@link #finishAfterMarker}.
     */
    abstract CommitResult commitPrepared(Instant start, Prelude prelude, CommitFuture control);

    /**
     * What must hold before a commit copies anything: the final location has no other writer's marker, and the
     * attempt is sealed (the returned token is the sealed lease's version). The two run while the strategy
     * starts its listing, to save a round trip.
     */
    static final class Prelude {
        private final CompletableFuture<Void> markerAbsent;
        private final CompletableFuture<String> token;

        Prelude(CompletableFuture<Void> markerAbsent, CompletableFuture<String> token) {
            this.markerAbsent = markerAbsent;
            this.token = token;
        }

        /** Waits for both checks; rethrows their failure as raised. */
        String awaitToken() {
            // The seal's failure first: a stale attempt is told it was superseded, the more precise reason.
            String sealed = TemporaryPath.await(token);
            TemporaryPath.await(markerAbsent);
            return sealed;
        }
    }

    /** Thrown by a prelude that found this very attempt's marker: the commit already happened. */
    private static final class AlreadyCommitted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ManifestHeader header;

        AlreadyCommitted(ManifestHeader header) {
            super(null, null, false, false);
            this.header = header;
        }
    }

    /** Settles which attempt commits and at what lease version, then hands over to the strategy. */
    private CommitResult commitNow(Instant start, CommitFuture control) {
        control.stopIfCancelled("commit of " + finalLocation + " cancelled before it started");
        if (!createdHere && !resumed) {
            failIfCommitted();
            throw new AtomicCheckpointException(ErrorKind.INVALID_INPUT, strategy + ": commit() of " + finalLocation
                    + " without create(); call create() first, or resume an attempt with fromTemporary");
        }
        try {
            if (createdHere && leaseVersion != null) {
                // The path that created the attempt knows its token: no need to read the lease back.
                // On a pool of their own: the caller's executor may have a single thread, this one.
                CompletableFuture<Void> markerAbsent = CompletableFuture.runAsync(this::requireNoOtherMarker, PRELUDE);
                CompletableFuture<String> token = sealedHere ? CompletableFuture.completedFuture(leaseVersion)
                        : CompletableFuture.supplyAsync(this::sealKnownLease, PRELUDE);
                return commitPrepared(start, new Prelude(markerAbsent, token), control);
            }
            String token = resumeToken();
            return commitPrepared(start, new Prelude(CompletableFuture.completedFuture(null),
                    CompletableFuture.completedFuture(token)), control);
        } catch (AlreadyCommitted done) {
            return alreadyCommitted(start, done.header);
        } catch (StoreException failed) {
            // A stale attempt's requests fail in many ways once a newer attempt deleted what it was working on
            // (a copy whose result vanished, a source gone); the loser must still be told it lost.
            if (attempt != null) {
                failIfSuperseded(failed);
            }
            throw failed;
        }
    }

    /** Fails unless the final location has no marker; this attempt's own marker ends the commit as done. */
    private void requireNoOtherMarker() {
        if (markers.stat(finalLocation).isEmpty()) {
            return;
        }
        Optional<ManifestHeader> ours = committedBy(attempt);
        if (ours.isPresent()) {
            throw new AlreadyCommitted(ours.get());
        }
        throw new CommitConflictException(finalLocation, "already a committed checkpoint ("
                + markers.describeCommitter(finalLocation) + "); refusing to overwrite it");
    }

    /** Seals the lease this path took in create(), by its known version. */
    private String sealKnownLease() {
        Lease known = new Lease(attempt, State.ACTIVE, options.writerId(), createdAt, leaseVersion);
        try {
            String sealed = replaceLease(known, State.SEALED);
            leaseVersion = sealed;
            sealedHere = true;
            return sealed;
        } catch (CommitConflictException lost) {
            committedBy(attempt).ifPresent(h -> {
                throw new AlreadyCommitted(h);
            });
            throw lost;
        }
    }

    /** For a resumed path: reads the lease, adopts its attempt if none is known, and returns a sealed token. */
    private String resumeToken() {
        Optional<Lease> now = lease.read();
        String mine = attempt;
        if (now.isEmpty() || (mine != null && !now.get().attempt().equals(mine))) {
            if (mine != null) {
                committedBy(mine).ifPresent(h -> {
                    throw new AlreadyCommitted(h);
                });
                throw now.isEmpty() ? leaseGone(null) : superseded(now.get().attempt(), null);
            }
            failIfCommitted();
            throw new CommitConflictException(finalLocation, "no attempt is in progress (no lease at " + lease.location()
                    + "): create() was never called, or the attempt was finished and cleaned up");
        }
        Lease current = now.get();
        attempt = current.attempt();
        requireNoOtherMarker();
        if (current.state() != State.ACTIVE) {
            return current.version();
        }
        if (!options.resumeUnsealed()) {
            throw new AttemptNotSealedException(finalLocation, current.attempt());
        }
        return replaceLease(current, State.SEALED);
    }

    private CommitResult alreadyCommitted(Instant start, ManifestHeader header) {
        LOG.info("attempt {} had already committed {}; finishing its clean-up", attempt, finalLocation);
        return new CommitResult(finalLocation, header, 0, header.objectCount(), finishAfterMarker(null, null),
                Duration.between(start, options.clock().instant()));
    }

    /** The marker's header if the marker exists and was written by {@code attemptId}. */
    Optional<ManifestHeader> committedBy(String attemptId) {
        if (markers.stat(finalLocation).isEmpty()) {
            return Optional.empty();
        }
        try {
            ManifestHeader header = markers.read(finalLocation, reader -> reader.header());
            boolean ours = header.commitId().map(id -> AttemptLease.attemptOf(id).equals(attemptId)).orElse(false);
            return ours ? Optional.of(header) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Starts a new attempt: replaces the lease (create-only if there is none, else a conditional update of the
     * version just read), which revokes every earlier attempt, and only then looks for a marker.
     */
    private void startAttempt() {
        // A committed checkpoint stays committed (only a delete undoes it): refuse before touching its lease.
        failIfCommitted();
        String id = newAttemptId();
        Optional<Lease> previous = lease.read();
        byte[] document = AttemptLease.document(id, State.ACTIVE, options.writerId(), options.clock().instant());
        try {
            leaseVersion = store.write(lease.location(), document,
                    previous.isEmpty() ? PutMode.CREATE : PutMode.update(previous.get().version())).version().orElseThrow();
        } catch (PreconditionFailedException raced) {
            failIfCommitted();
            throw new CommitConflictException(finalLocation, "another attempt started at the same moment (the attempt"
                    + " lease changed while attempt " + id + " was taking it over); only one primary may create", raced);
        }
        attempt = id;
        createdHere = true;
        previous.ifPresent(p -> LOG.warn("attempt {} supersedes attempt {} of {} (writer {})", id, p.attempt(),
                finalLocation, p.writerId()));
        try {
            failIfCommitted();
        } catch (CommitConflictException committed) {
            createdHere = false;
            leaseVersion = null;
            throw committed;
        }
    }

    private static String newAttemptId() {
        byte[] random = new byte[5];
        RANDOM.nextBytes(random);
        return Long.toString(System.currentTimeMillis(), 36) + "-" + HexFormat.of().formatHex(random);
    }

    /** The lease, which must belong to this path's attempt. */
    private Lease currentLease() {
        String mine = attempt;
        if (mine == null) {
            throw new AtomicCheckpointException(ErrorKind.INVALID_INPUT, "no attempt is known for " + finalLocation
                    + ": call create() first, or make this path from the attempt's location");
        }
        Lease now = lease.read().orElseThrow(() -> leaseGone(null));
        if (!now.attempt().equals(mine)) {
            throw superseded(now.attempt(), null);
        }
        return now;
    }

    /** Replaces this attempt's lease document at {@code current}'s version; returns the new token. */
    private String replaceLease(Lease current, State state) {
        byte[] document = AttemptLease.document(current.attempt(), state, options.writerId(), current.created());
        try {
            return store.write(lease.location(), document, PutMode.update(current.version())).version().orElseThrow();
        } catch (PreconditionFailedException changed) {
            throw lostLease(changed);
        }
    }

    /** Why the lease changed under this attempt: a newer attempt, or another committer of the same attempt. */
    private CommitConflictException lostLease(Throwable cause) {
        Optional<Lease> now;
        try {
            now = lease.read();
        } catch (RuntimeException unreadable) {
            return leaseGone(cause);
        }
        if (now.isPresent() && now.get().attempt().equals(attempt)) {
            return new CommitConflictException(finalLocation, "another committer of attempt " + attempt
                    + " changed its lease first; only one of them may write the marker", cause);
        }
        return now.isEmpty() ? leaseGone(cause) : superseded(now.get().attempt(), cause);
    }

    /**
     * The lease is gone: a co-committer of this attempt finished and its clean-up removed it (its marker says so),
     * or a newer attempt finished or was cleaned up.
     */
    CommitConflictException leaseGone(Throwable cause) {
        if (committedBy(attempt).isPresent()) {
            return new CommitConflictException(finalLocation, "another committer of attempt " + attempt
                    + " committed it first (its clean-up removed the lease)", cause);
        }
        return superseded(null, cause);
    }

    /** Throws {@link AttemptSupersededException} if the lease no longer belongs to this attempt. */
    void failIfSuperseded(Throwable cause) {
        Optional<Lease> now;
        try {
            now = lease.read();
        } catch (RuntimeException unreadable) {
            return;
        }
        if (now.isEmpty()) {
            throw leaseGone(cause);
        }
        if (!now.get().attempt().equals(attempt)) {
            throw superseded(now.get().attempt(), cause);
        }
    }

    /** Fails unless this path's attempt still holds the lease and the final location has no marker. */
    void requireCurrentAttempt() {
        Optional<Lease> now = lease.read();
        if (now.isEmpty() || !now.get().attempt().equals(attempt)) {
            throw superseded(now.map(Lease::attempt).orElse(null), null);
        }
        failIfCommitted();
    }

    AttemptSupersededException superseded(String newer, Throwable cause) {
        return new AttemptSupersededException(finalLocation, attempt, newer, cause);
    }

    void step(CommitStep step, long index) {
        options.observer().onStep(step, index);
    }

    /** Tells the observer that one object of {@code bytes} moved. */
    void transferred(CommitObserver.Transfer transfer, long bytes) {
        options.observer().onTransfer(transfer, bytes);
    }

    /** Fails if {@code finalLocation} already has a marker: committing twice must never replace a checkpoint. */
    void failIfCommitted() {
        if (markers.stat(finalLocation).isPresent()) {
            throw new CommitConflictException(finalLocation, "already a committed checkpoint ("
                    + markers.describeCommitter(finalLocation) + "); refusing to overwrite it");
        }
    }

    /**
     * Deletes objects left below {@code location} by unfinished attempts, logging what it removed. Never the
     * lease: it is the token of the attempt being created.
     */
    void removeLeftovers(Location location, String what) {
        String leaseKey = lease.location().key();
        PrefixDeletion deletion = PrefixDeletion.run(store, location, settings, o -> !o.key().equals(leaseKey), n -> { });
        if (deletion.deleted() > 0) {
            LOG.warn("deleted {} objects of {} at {} before attempt {}", deletion.deleted(), what, location, attempt);
        }
        if (deletion.failed() > 0) {
            throw new StoreException(ErrorKind.TRANSIENT, "create", location, "could not delete " + deletion.failed()
                    + " leftover objects, for example " + deletion.failures());
        }
    }

    /**
     * Aborts the uploads pending in the final location (S3 multipart copies of older attempts), after the older
     * attempts' sources were deleted: a stale copy stopped before its completion then meets NoSuchUpload, and
     * one whose upload starts later cannot copy its parts. Only after a lease check, so a stopped
     * {@code create()} that goes on late does not abort a newer attempt's copies (in the window between the
     * check and the abort it can, which fails that commit and tears nothing).
     */
    void abortStaleUploads() {
        if (store.unwrap(io.atomiccheckpoint.spi.SupportsPendingUploads.class).isEmpty()) {
            return;
        }
        requireCurrentAttempt();
        long aborted = store.abortPendingUploads(finalLocation);
        if (aborted > 0) {
            LOG.warn("aborted {} uploads pending at {} before attempt {}", aborted, finalLocation, attempt);
        }
    }

    /**
     * Deletes what interrupted commits left in the final location, one listing page at a time, each page only
     * after {@link #requireCurrentAttempt()} found the lease still this attempt's and no marker, and, where the
     * store can ({@link Store#supportsConditionalDelete(Location)}), each object only while it is still the
     * version the page listed.
     *
     * <p>Why a stopped {@code create()} deletes nothing newer: it may go on after a newer attempt took the lease
     * and committed. Everything it deletes was listed before its last check, when the lease was still its own, so
     * it was a leftover then, and the newer attempt's {@code create()} deleted it too. The newer attempt may have
     * written an object of the same name since (its copy of that file); the pinned delete keeps that one, because
     * its version differs from the listed one (the request that enforces it: {@code ifGenerationMatch} and the
     * named generation on GCS, the ETag element of DeleteObjects on S3, {@code If-Match} on Azure, a compare
     * under the file's lock on local disks). A kept object means someone wrote here after the listing: if the
     * lease moved on, this {@code create()} stops as superseded; if it is still this attempt's (an older
     * attempt's {@code CommitInPlace} writer still staging here), the page is listed and deleted again, a few
     * times at most. On a store or server without pinned deletes (the S3 emulators, see the README's known limits) the
     * same-name window stays open. Without leftovers this costs one listing request.
     */
    void removeLeftoversOfFinal() {
        String leaseKey = lease.location().key();
        boolean pinned = store.supportsConditionalDelete(finalLocation);
        String token = null;
        long deleted = 0;
        int relists = 0;
        while (true) {
            ListPage page = store.listPage(finalLocation, false, token, settings.listPageSize());
            List<ObjectVersion> versioned = new ArrayList<>();
            List<Location> unversioned = new ArrayList<>();
            for (ObjectInfo o : page.objects()) {
                if (o.key().equals(leaseKey)) {
                    continue;
                }
                if (pinned && o.version().isPresent()) {
                    versioned.add(ObjectVersion.listed(finalLocation, o));
                } else {
                    unversioned.add(finalLocation.sameBucket(o.key()));
                }
            }
            if (versioned.isEmpty() && unversioned.isEmpty()) {
                token = page.nextPageToken().orElse(null);
                if (token == null) {
                    break;
                }
                continue;
            }
            requireCurrentAttempt();
            PrefixDeletion kept = PrefixDeletion.deleteAllIfUnchanged(store, versioned.iterator(), settings, n -> { });
            PrefixDeletion plain = PrefixDeletion.deleteAll(store, unversioned.iterator(), settings, n -> { });
            long failed = kept.failed() + plain.failed() - kept.replaced();
            if (failed > 0) {
                throw new StoreException(ErrorKind.TRANSIENT, "create", finalLocation, "could not delete " + failed
                        + " objects left by an interrupted commit, for example " + kept.failures()
                        + plain.failures());
            }
            deleted += kept.deleted() + plain.deleted();
            if (kept.replaced() > 0) {
                // Written after the listing: by a newer attempt (then the check throws), or, while the lease is
                // still this attempt's, by an older attempt's writer still staging in place (CommitInPlace); then
                // the same page again, bounded.
                requireCurrentAttempt();
                if (++relists > 3) {
                    throw new StoreException(ErrorKind.TRANSIENT, "create", finalLocation, kept.replaced()
                            + " objects kept changing while create() of attempt " + attempt + " deleted leftovers,"
                            + " for example " + kept.failures());
                }
                continue;
            }
            token = page.nextPageToken().orElse(null);
            if (token == null) {
                break;
            }
        }
        store.pruneEmptyDirectories(finalLocation);
        if (deleted > 0) {
            LOG.warn("deleted {} objects of an interrupted commit at {} before attempt {}", deleted, finalLocation,
                    attempt);
        }
    }

    void recordCommitTimestamp(Instant now) {
        options.metadataStore().ifPresent(m -> m.writeCommitTimestamp(stagingRoot(), now));
    }

    Instant initTimestamp() {
        CheckpointMetadataStore metadata = options.metadataStore().orElse(null);
        if (metadata != null) {
            Instant recorded = metadata.initTimestamp(stagingRoot()).orElse(null);
            if (recorded != null) {
                return recorded;
            }
        }
        return createdAt;
    }

    /** Adds an entry for every object below {@code location} except a marker left there by a crashed attempt. */
    void inventory(Location location, ManifestWriter manifest) {
        String staleMarker = settings.marker(location).key();
        try (Stream<ObjectInfo> listing = store.list(location, settings.listPageSize())) {
            listing.filter(o -> !o.key().equals(staleMarker))
                    .forEach(o -> manifest.add(ManifestEntry.of(location.relativeKey(o.key()).orElseThrow(), o)));
        }
    }

    /** A fresh commit id of this attempt: {@code <attempt>.<nonce>}, so two committers of one attempt differ. */
    String newCommitId() {
        byte[] nonce = new byte[4];
        RANDOM.nextBytes(nonce);
        return attempt + "." + HexFormat.of().formatHex(nonce);
    }

    /**
     * Writes the manifest as the marker, fenced by the lease (see the class comment): a conditional update of
     * the lease at {@code token} with the manifest, then a create-only copy of the lease onto the marker name,
     * pinned to the version the update returned.
     */
    FinishedManifest writeFencedMarker(ManifestWriter manifest, String token, Instant commitTime, CommitFuture control) {
        FinishedManifest finished = finishManifest(manifest, commitTime);
        String commitId = finished.commitId();
        Path file = finished.file();
        control.stopIfCancelled("commit of " + finalLocation + " cancelled before its marker; attempt " + attempt
                + " is sealed and can be resumed");
        ObjectInfo written;
        try {
            written = store.writeFile(lease.location(), file, PutMode.update(token));
        } catch (PreconditionFailedException changed) {
            Optional<ManifestHeader> coCommitted = committedBy(attempt);
            if (coCommitted.isPresent()) {
                // Another committer of this same attempt (a resumed primary) finished it: the checkpoint is ours.
                return new FinishedManifest(finished.file(), coCommitted.get());
            }
            throw lostLease(changed);
        }
        if (!control.enterMarker()) {
            throw new java.util.concurrent.CancellationException("commit of " + finalLocation + " cancelled before"
                    + " its marker; attempt " + attempt + " can be resumed");
        }
        Location marker = settings.marker(finalLocation);
        try {
            store.copy(lease.location(), marker, CopyOptions.pinnedTo(written, PutMode.CREATE));
        } catch (PreconditionFailedException refused) {
            Optional<ManifestHeader> coCommitted = committedBy(attempt);
            if (committedByThis(commitId)) {
                LOG.info("the marker of {} was already written by this commit (a retried request)", finalLocation);
            } else if (coCommitted.isPresent()) {
                return new FinishedManifest(finished.file(), coCommitted.get());
            } else if (markers.stat(finalLocation).isPresent()) {
                throw new CommitConflictException(finalLocation, "another writer committed first ("
                        + markers.describeCommitter(finalLocation) + "); this commit wrote no marker", refused);
            } else {
                throw lostLease(refused);
            }
        } catch (StoreException ambiguous) {
            settleAmbiguousMarker(commitId, written, ambiguous);
        }
        return finished;
    }

    /** A finished manifest: its local file and the header it carries. */
    record FinishedManifest(Path file, ManifestHeader header) {
        String commitId() {
            return header.commitId().orElseThrow();
        }
    }

    /** Finishes the manifest with a fresh commit id of this attempt and the timestamps. */
    FinishedManifest finishManifest(ManifestWriter manifest, Instant commitTime) {
        if (manifest.count() == 0) {
            LOG.warn("committing {} with no objects in {}", finalLocation, stagingRoot());
        }
        Instant init = initTimestamp();
        String commitId = newCommitId();
        Path file = manifest.finish(strategy, options.writerId(), commitId, finalLocation.toString(), init, commitTime);
        return new FinishedManifest(file, new ManifestHeader(ManifestHeader.FORMAT_VERSION, strategy, options.writerId(),
                commitId, finalLocation.toString(), init, commitTime, manifest.count(), manifest.totalBytes(), true));
    }

    private boolean committedByThis(String commitId) {
        if (markers.stat(finalLocation).isEmpty()) {
            return false;
        }
        try {
            return markers.read(finalLocation, reader -> reader.header().commitId().map(commitId::equals).orElse(false));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * The marker copy failed without saying whether it took effect. Returns normally only if this commit's
     * marker is there.
     */
    private void settleAmbiguousMarker(String commitId, ObjectInfo leaseWithManifest, StoreException failure) {
        try {
            if (committedByThis(commitId)) {
                LOG.info("the marker of {} landed although its request failed ({})", finalLocation, failure.toString());
                return;
            }
            // Revoke our own token: from here on the copy, if it is still on its way, can no longer land.
            Lease mine = new Lease(attempt, State.COMMITTING, options.writerId(), createdAt,
                    leaseWithManifest.version().orElseThrow());
            try {
                replaceLease(mine, State.SEALED);
            } catch (CommitConflictException changed) {
                if (committedByThis(commitId)) {
                    return;
                }
                // Keep the marker request's own failure visible: it is why the lease was read again.
                changed.addSuppressed(failure);
                throw changed;
            }
            if (committedByThis(commitId)) {
                return;
            }
        } catch (CommitConflictException decided) {
            throw decided;
        } catch (RuntimeException unsettled) {
            unsettled.addSuppressed(failure);
            throw new CommitStateUnknownException(finalLocation, commitId, unsettled);
        }
        throw new StoreException(failure.kind(), "commit", finalLocation, "the marker was not written (the attempt is"
                + " sealed again and can be resumed with fromTemporary(" + get() + ")): " + failure.getMessage(), failure);
    }

    /** Runs the two requests a commit overlaps with its first listing page. */
    private static final java.util.concurrent.ExecutorService PRELUDE = java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
                Thread t = new Thread(r, "atomic-checkpoint-prelude");
                t.setDaemon(true);
                return t;
            });

    /** Runs background clean-ups; not daemon threads, so the JVM finishes a started clean-up before it exits. */
    private static final java.util.concurrent.ExecutorService CLEANUP = new java.util.concurrent.ThreadPoolExecutor(0,
            Integer.MAX_VALUE, 1, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            r -> {
                Thread t = new Thread(r, "atomic-checkpoint-cleanup");
                t.setDaemon(false);
                return t;
            });

    /**
     * Deletes what the attempts of this checkpoint left beside it, after the marker: first the objects the
     * manifest lists below {@code sourcesRoot} (the commit knows them, so no listing of them is needed), then the
     * lease, then whatever a listing of the temporary location still finds (normally nothing: stale attempts'
     * objects, a host rendezvous). Runs in the background if the settings say so. Failures are reported, not
     * thrown, since the commit holds. Safe against a stale writer: the marker exists, so any other attempt's
     * {@code create()} stops at its marker check, and once the lease is deleted every conditional update of an old
     * token fails (an update of a missing object is refused), so nothing here can let a second marker appear.
     */
    CompletionStage<List<String>> finishAfterMarker(FinishedManifest written, Location sourcesRoot) {
        FinishedManifest manifest = written == null ? null : adopt(written);
        if (settings.cleanupInBackground()) {
            return CompletableFuture.supplyAsync(() -> cleanUp(manifest, sourcesRoot), CLEANUP);
        }
        return CompletableFuture.completedFuture(cleanUp(manifest, sourcesRoot));
    }

    /** Moves the manifest's local file out of its writer's hands (a rename), so the clean-up owns it. */
    private static FinishedManifest adopt(FinishedManifest written) {
        try {
            Path owned = io.atomiccheckpoint.internal.SpoolFiles.create(".cleanup.json");
            java.nio.file.Files.move(written.file(), owned, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new FinishedManifest(owned, written.header());
        } catch (java.io.IOException e) {
            LOG.warn("cannot keep the manifest for the clean-up ({}); it will list the temporary location", e.toString());
            return null;
        }
    }

    private List<String> cleanUp(FinishedManifest manifest, Location sourcesRoot) {
        List<String> failures = new ArrayList<>();
        Location temporary = settings.temporaryFor(finalLocation);
        java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();
        java.util.function.LongConsumer onBatch = n -> step(CommitStep.TEMPORARY_BATCH_DELETED, batches.incrementAndGet());
        try {
            if (manifest != null && sourcesRoot != null) {
                try (io.atomiccheckpoint.manifest.ManifestReader reader = io.atomiccheckpoint.manifest.ManifestReader.open(
                        java.nio.file.Files.newInputStream(manifest.file()), finalLocation, settings.markerName(),
                        Long.MAX_VALUE)) {
                    java.util.Iterator<ManifestEntry> entries = reader.entries();
                    failures.addAll(PrefixDeletion.deleteAll(store, new java.util.Iterator<Location>() {
                        @Override
                        public boolean hasNext() {
                            return entries.hasNext();
                        }

                        @Override
                        public Location next() {
                            return sourcesRoot.resolve(entries.next().key());
                        }
                    }, settings, onBatch).failures());
                }
            }
            store.delete(lease.location());
            // After the marker every copy still in flight targets a name the marker covers and would be refused, so
            // upload files a killed try left inside the checkpoint (invisible to listings, not to Orbax readers of
            // a local disk) can go. After the lease: a co-committer whose copy fails because its upload file went
            // then finds the lease gone and the marker its attempt's, and is told it lost to that committer.
            long uploads = store.removeUploadLeftovers(finalLocation);
            if (uploads > 0) {
                LOG.info("removed {} unfinished upload files of an earlier try from {}", uploads, finalLocation);
            }
            PrefixDeletion rest = PrefixDeletion.run(store, temporary, settings, onBatch);
            failures.addAll(rest.failures());
            step(CommitStep.FINISHED, 0);
        } catch (RuntimeException | java.io.IOException e) {
            LOG.warn("committed {} but could not delete the temporary location {}: {}", finalLocation, temporary,
                    e.toString());
            failures.add(e.toString());
        } finally {
            if (manifest != null) {
                try {
                    java.nio.file.Files.deleteIfExists(manifest.file());
                } catch (java.io.IOException ignored) {
                    // A spool file; the next process sweeps it.
                }
            }
        }
        if (!failures.isEmpty()) {
            LOG.warn("committed {} but could not delete {} temporary objects, for example {}", finalLocation,
                    failures.size(), failures.get(0));
        }
        return failures.size() > 100 ? List.copyOf(failures.subList(0, 100)) : failures;
    }

    /**
     * The stage {@link #commit()} returns. Cancelling it before the marker request stops the commit (the copy
     * loop checks {@link #cancelled()}); once {@link #enterMarker()} has run it refuses to be cancelled, so it
     * completes with what really happened.
     */
    static final class CommitFuture extends CompletableFuture<CommitResult> {
        private static final int RUNNING = 0;
        private static final int CANCELLED = 1;
        private static final int MARKER = 2;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        /**
         * Asks the commit to stop before its marker. Returns false once the marker request is under way (the stage
         * then completes with the commit's real outcome). Otherwise returns true, and the stage completes with a
         * {@link java.util.concurrent.CancellationException} once the commit has actually stopped (after the copies
         * in flight), so a caller that waits for it can resume the attempt without racing the cancelled commit.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return state.compareAndSet(RUNNING, CANCELLED) || state.get() == CANCELLED;
        }

        /** Stops here if the caller cancelled. */
        void stopIfCancelled(String what) {
            if (cancelled()) {
                throw new java.util.concurrent.CancellationException(what);
            }
        }

        /** Whether the caller cancelled; the copy loop stops at the next object. */
        boolean cancelled() {
            return state.get() == CANCELLED;
        }

        /** Called just before the marker request; false if the commit was cancelled first. */
        boolean enterMarker() {
            return state.compareAndSet(RUNNING, MARKER);
        }
    }

    @Override
    public String toString() {
        return strategy + "{temporary=" + get() + ", final=" + finalLocation + ", attempt=" + attempt + "}";
    }
}
