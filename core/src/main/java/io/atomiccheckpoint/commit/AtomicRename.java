package io.atomiccheckpoint.commit;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.CommitStep;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.atomicity.ValidationError.Rule;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.manifest.ManifestWriter;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The reference design's {@code AtomicRenameTemporaryPath}, for local and POSIX-mounted filesystems: write
 * into a sibling directory, write the manifest into it, then rename it onto the final name in one atomic
 * {@code rename(2)}. Symbolic links are refused for both locations, as the reference refuses them.
 *
 * <p>Each attempt stages in its own directory ({@code <final><suffix>/attempt-<id>/}) and commits by renaming
 * exactly that directory: the rename is the commit point. A newer attempt's {@code create()} first renames
 * every older attempt's directory out of the way (one atomic rename each) and only then deletes it, so a stale
 * writer's rename either happened before (and the newer attempt sees the final location and stops) or finds
 * nothing to rename (and fails with {@link io.atomiccheckpoint.atomicity.AttemptSupersededException}); it can
 * never publish a half-deleted directory.
 *
 * <p>Java cannot ask the kernel for a no-replace rename, so the "final must not exist" check and the rename
 * are two steps; Linux's rename onto a non-empty directory still fails, which is caught as a conflict.
 */
public final class AtomicRename extends StoreTemporaryPathFactory {
    /** The name recorded in markers. */
    public static final String NAME = "AtomicRename";

    public AtomicRename() {
        this(CommitSettings.defaults());
    }

    public AtomicRename(CommitSettings settings) {
        super(Store.of(new FileSystemObjectStore()), settings);
    }

    public AtomicRename(FileSystemObjectStore store, CommitSettings settings) {
        super(Store.of(store), settings);
    }

    @Override
    public String strategyName() {
        return NAME;
    }

    private static void checkLocal(Location location) throws ValidationError {
        if (location.scheme() != Scheme.FILE) {
            throw new ValidationError(location, Rule.UNSUPPORTED_LOCATION, "AtomicRename needs a local file:/// location;"
                    + " use PrefixCopyCommit for object stores");
        }
    }

    private static void checkNotLinkAndDirectory(Location location, boolean mustExist) throws ValidationError {
        Path path = location.toPath();
        if (Files.isSymbolicLink(path)) {
            throw new ValidationError(location, Rule.SYMLINK, "is a symbolic link; AtomicRename refuses links");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (mustExist) {
                throw new ValidationError(location, Rule.NOT_FOUND, "does not exist");
            }
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new ValidationError(location, Rule.NOT_A_DIRECTORY, "exists but is not a directory");
        }
    }

    @Override
    public void validate(Location temporary) throws ValidationError {
        checkLocal(temporary);
        Location base = settings.attemptIdOf(temporary).isPresent() ? temporary.parent().orElseThrow() : temporary;
        checkTemporaryName(base);
        checkNotLinkAndDirectory(base, false);
        checkNotLinkAndDirectory(temporary, false);
    }

    @Override
    public void validateFinal(Location finalLocation) throws ValidationError {
        checkLocal(finalLocation);
        checkFinalShape(finalLocation);
        checkNotLinkAndDirectory(finalLocation, true);
        super.validateFinal(finalLocation);
    }

    @Override
    public TemporaryPath fromTemporary(Location temporary, TemporaryPathOptions options) throws ValidationError {
        validate(temporary);
        String attempt = settings.attemptIdOf(temporary).orElse(null);
        Location base = attempt == null ? temporary : temporary.parent().orElseThrow();
        return new RenamePath(this, base, finalOfSiblingTemporary(base, options), options, attempt, true);
    }

    @Override
    public TemporaryPath fromFinal(Location finalLocation, TemporaryPathOptions options) throws ValidationError {
        checkLocal(finalLocation);
        checkFinalShape(finalLocation);
        checkOptions(finalLocation, options);
        return new RenamePath(this, settings.temporaryFor(finalLocation), finalLocation, options, null, false);
    }

    /** One checkpoint committed by renaming its directory. */
    private static final class RenamePath extends StoreTemporaryPath {
        RenamePath(AtomicRename factory, Location base, Location finalLocation, TemporaryPathOptions options,
                String attempt, boolean resumed) {
            super(NAME, factory.store, factory.settings, base, finalLocation, options, true, attempt, resumed);
        }

        private void refuseLink(String operation, Location location) {
            if (Files.isSymbolicLink(location.toPath())) {
                throw new StoreException(ErrorKind.INVALID_INPUT, operation, location,
                        "is a symbolic link; AtomicRename refuses links");
            }
        }

        private void failIfFinalExists() {
            failIfCommitted();
            if (Files.exists(finalLocation.toPath(), LinkOption.NOFOLLOW_LINKS)) {
                throw new CommitConflictException(finalLocation, "already exists (without a commit marker); remove it or"
                        + " choose another name");
            }
        }

        @Override
        void createNow() {
            refuseLink("create", base);
            refuseLink("create", finalLocation);
            failIfFinalExists();
            retireOlderAttempts();
            removeLeftovers(base, "older attempts");
            store.createDirectory(stagingRoot(), options.fileOptions().pathPermissions().orElse(null));
        }

        /** Renames every other attempt's directory to a retired name, atomically, before anything is deleted. */
        private void retireOlderAttempts() {
            Path dir = base.toPath();
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            String mine = CommitSettings.ATTEMPT_PREFIX + attempt().orElseThrow();
            try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                    p -> p.getFileName().toString().startsWith(CommitSettings.ATTEMPT_PREFIX))) {
                for (Path older : entries) {
                    if (older.getFileName().toString().equals(mine)) {
                        continue;
                    }
                    try {
                        Files.move(older, dir.resolve("retired-" + java.util.UUID.randomUUID()),
                                StandardCopyOption.ATOMIC_MOVE);
                    } catch (java.nio.file.NoSuchFileException renamedMeanwhile) {
                        // Its writer renamed it onto the final location first: failIfFinalExists saw or will see it.
                    }
                }
            } catch (IOException e) {
                throw new StoreException(ErrorKind.UNKNOWN, "create", base, "cannot retire older attempts: " + e, e);
            }
        }

        @Override
        CommitResult commitPrepared(Instant start, Prelude prelude, CommitFuture control) {
            prelude.awaitToken();
            Location root = stagingRoot();
            Path from = root.toPath();
            Path to = finalLocation.toPath();
            refuseLink("commit", root);
            refuseLink("commit", finalLocation);
            failIfFinalExists();
            if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                failIfSuperseded(null);
                throw new StoreException(ErrorKind.INVALID_INPUT, "commit", root, "no staging directory; call create() first");
            }
            step(CommitStep.STARTED, 0);
            Instant commitTime = options.clock().instant();
            recordCommitTimestamp(commitTime);
            ManifestHeader header;
            try (ManifestWriter manifest = new ManifestWriter()) {
                inventory(root, manifest);
                step(CommitStep.BEFORE_MARKER, 0);
                // The rename, not the marker, is the commit point here; a marker left by a crashed try is replaced.
                header = writeMarkerInto(from, manifest, commitTime);
            }
            if (!control.enterMarker()) {
                throw new java.util.concurrent.CancellationException("commit of " + finalLocation + " cancelled before"
                        + " its rename; the attempt can be resumed");
            }
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(to.getParent());
            } catch (java.nio.file.NoSuchFileException retired) {
                failIfSuperseded(retired);
                throw coCommittedOr(retired);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new CommitConflictException(finalLocation, "appeared while committing; another writer won", e);
            } catch (IOException e) {
                throw new StoreException(ErrorKind.UNKNOWN, "commit", finalLocation, "rename from " + root + " failed: "
                        + e, e);
            }
            // Upload files a killed writer left in the staging directory came along with the rename; remove them now
            // that the rename is the commit point. Not before it: a co-committer of this attempt may be writing its
            // marker through such a file, and deleting it would fail that committer with the wrong error.
            store.removeUploadLeftovers(finalLocation);
            step(CommitStep.MARKER_WRITTEN, 0);
            Duration visible = Duration.between(start, options.clock().instant());
            // The staging directory became the checkpoint; the lease and retired attempts remain beside it.
            return new CommitResult(finalLocation, header, 0, header.objectCount(), finishAfterMarker(null, null),
                    visible);
        }

        /**
         * Why the staging directory vanished while this attempt still holds the lease: a co-committer of the same
         * attempt (a resumed primary) renamed it onto the final location first, or something else removed it.
         */
        private RuntimeException coCommittedOr(java.nio.file.NoSuchFileException vanished) {
            if (attempt().flatMap(this::committedBy).isPresent()) {
                return new CommitConflictException(finalLocation, "another committer of attempt " + attempt().orElseThrow()
                        + " committed it first (it renamed the staging directory)", vanished);
            }
            return new StoreException(ErrorKind.CONFLICT, "commit", stagingRoot(), "the staging directory vanished",
                    vanished);
        }

        /**
         * Writes the marker into the staging directory without ever creating that directory: if a newer attempt
         * has retired it, the write fails instead of recreating a directory that holds only a marker, which the
         * rename would then publish as a checkpoint without its objects.
         */
        private ManifestHeader writeMarkerInto(Path dir, ManifestWriter manifest, Instant commitTime) {
            Path upload = dir.resolve(FileSystemObjectStore.UPLOAD_PREFIX + java.util.UUID.randomUUID());
            FinishedManifest finished = finishManifest(manifest, commitTime);
            try {
                Files.copy(finished.file(), upload);
                try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(upload, dir.resolve(settings.markerName()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                return finished.header();
            } catch (java.nio.file.NoSuchFileException retired) {
                failIfSuperseded(retired);
                throw coCommittedOr(retired);
            } catch (IOException e) {
                throw new StoreException(ErrorKind.UNKNOWN, "commit", stagingRoot(), "cannot write the marker: " + e, e);
            } finally {
                try {
                    Files.deleteIfExists(upload);
                } catch (IOException ignored) {
                    // Hidden from listings by its name; removed with the directory.
                }
            }
        }

        private static void syncDirectory(Path dir) {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException ignored) {
                // Not every filesystem can fsync a directory; the rename itself has happened.
            }
        }
    }
}
