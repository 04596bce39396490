package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.atomicity.TemporaryPathOptions;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.atomicity.ValidationError.Rule;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every ValidationError rule the strategies raise, with the message a user sees. */
class ValidationRulesTest {
    @TempDir
    Path dir;

    private final Store store = Store.of(new FileSystemObjectStore());

    private static void assertRule(ThrowingCallable call, Rule rule, String... fragments) {
        assertThatThrownBy(call).isInstanceOf(ValidationError.class)
                .satisfies(e -> assertThat(((ValidationError) e).rule()).isEqualTo(rule))
                .hasMessageContaining(rule.name())
                .hasMessageContainingAll(fragments);
    }

    @Test
    void temporaryNamesMustCarryTheSuffix() {
        Location plain = Location.of(dir).resolve("step_1");
        PrefixCopyCommit prefixCopy = new PrefixCopyCommit(store);
        assertRule(() -> prefixCopy.validate(plain), Rule.NOT_A_TEMPORARY_NAME, plain.toString(),
                "must end with '.orbax-checkpoint-tmp'");
        assertRule(() -> prefixCopy.fromTemporary(plain), Rule.NOT_A_TEMPORARY_NAME, plain.toString());
        assertRule(() -> new AtomicRename().validate(plain), Rule.NOT_A_TEMPORARY_NAME, plain.toString());
        assertRule(() -> prefixCopy.validate(Location.of(dir).resolve(".orbax-checkpoint-tmp")), Rule.NOT_A_TEMPORARY_NAME,
                "after the final name");
    }

    @Test
    void finalNamesMayNotLookTemporary() {
        Location tmpLike = Location.of(dir).resolve("step_1.orbax-checkpoint-tmp");
        assertRule(() -> new PrefixCopyCommit(store).fromFinal(tmpLike), Rule.FINAL_NAMED_LIKE_TEMPORARY,
                "would be taken for an unfinished checkpoint");
        assertRule(() -> new CommitInPlace(store).validateFinal(tmpLike), Rule.FINAL_NAMED_LIKE_TEMPORARY, tmpLike.toString());
    }

    @Test
    void finalNamesMayNotContainTheSuffixAnywhere() {
        // Orbax looks for the suffix as a substring: it would list neither as finished and its clean-up deletes both.
        for (String name : new String[] {"step_1.orbax-checkpoint-tmp-7", "a.orbax-checkpoint-tmp.b"}) {
            Location finalLike = Location.of(dir).resolve(name);
            assertRule(() -> new PrefixCopyCommit(store).fromFinal(finalLike), Rule.FINAL_NAMED_LIKE_TEMPORARY,
                    finalLike.toString(), "contains the temporary suffix", "Orbax");
            assertRule(() -> new AtomicRename().fromFinal(finalLike), Rule.FINAL_NAMED_LIKE_TEMPORARY, finalLike.toString());
        }
    }

    @Test
    void legacyOrbaxTemporariesAreRecognisedButAreNotAttempts() {
        CommitSettings settings = CommitSettings.defaults();
        assertThat(settings.isTemporaryName("step_3.orbax-checkpoint-tmp-1712345678")).isTrue();
        assertThat(settings.isOwnTemporaryName("step_3.orbax-checkpoint-tmp-1712345678")).isFalse();
        assertThat(settings.isOwnTemporaryName("step_3.orbax-checkpoint-tmp")).isTrue();
        assertThat(settings.finalFor(Location.of(dir).resolve("step_3.orbax-checkpoint-tmp-1712345678")))
                .isEqualTo(Location.of(dir).resolve("step_3"));
        // Neither a counter nor our ending: a name no writer makes, so neither a temporary nor a checkpoint.
        assertThat(settings.isTemporaryName("step_3.orbax-checkpoint-tmp-x")).isFalse();
        assertThat(settings.isTemporaryName("step_3.orbax-checkpoint-tmp.orbax-checkpoint-tmp")).isFalse();
        assertThat(settings.containsTemporarySuffix("step_3.orbax-checkpoint-tmp-x")).isTrue();
        Location legacy = Location.of(dir).resolve("step_3.orbax-checkpoint-tmp-1712345678");
        assertRule(() -> new PrefixCopyCommit(store).fromTemporary(legacy), Rule.NOT_A_TEMPORARY_NAME,
                "Orbax release before 0.11.20");
    }

    @Test
    void fromTemporaryDerivesTheFinalLocation() throws ValidationError {
        Location temp = Location.of(dir).resolve("step_9.orbax-checkpoint-tmp");
        TemporaryPath path = new PrefixCopyCommit(store).fromTemporary(temp);
        assertThat(path.getFinal()).isEqualTo(Location.of(dir).resolve("step_9"));
        assertThat(path.get()).isEqualTo(temp);
        assertThat(new CommitInPlace(store).fromTemporary(temp.sibling("x")).get()).isEqualTo(temp.sibling("x"));
    }

    @Test
    void atomicRenameNeedsLocalDirectoriesAndRefusesLinks() throws Exception {
        AtomicRename rename = new AtomicRename();
        Location cloud = Location.parse("gs://bucket/step_1");
        assertRule(() -> rename.fromFinal(cloud), Rule.UNSUPPORTED_LOCATION, "gs://bucket/step_1",
                "needs a local file:/// location");

        Location missing = Location.of(dir).resolve("missing");
        assertRule(() -> rename.validateFinal(missing), Rule.NOT_FOUND, missing.toString(), "does not exist");

        Files.writeString(dir.resolve("file"), "x");
        assertRule(() -> rename.validateFinal(Location.of(dir).resolve("file")), Rule.NOT_A_DIRECTORY,
                "exists but is not a directory");

        Path target = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("linked"), target);
        assertRule(() -> rename.validateFinal(Location.of(dir).resolve("linked")), Rule.SYMLINK,
                "is a symbolic link; AtomicRename refuses links");
        Files.createSymbolicLink(dir.resolve("step_2.orbax-checkpoint-tmp"), target);
        assertRule(() -> rename.validate(Location.of(dir).resolve("step_2.orbax-checkpoint-tmp")), Rule.SYMLINK,
                "step_2.orbax-checkpoint-tmp: SYMLINK: is a symbolic link");

        TemporaryPath viaLink = rename.fromFinal(Location.of(dir).resolve("step_2"));
        assertThatThrownBy(viaLink::createBlocking).isInstanceOf(StoreException.class)
                .hasMessageContaining("is a symbolic link");
        assertThat(Files.isDirectory(target)).as("the link's target is untouched").isTrue();
    }

    @Test
    void atomicRenameAppliesThePermissionModeAndRefusesAnExistingFinal() throws Exception {
        AtomicRename rename = new AtomicRename();
        Location finalLocation = Location.of(dir).resolve("step_3");
        TemporaryPath checkpoint = rename.fromFinal(finalLocation, TemporaryPathOptions.builder()
                .fileOptions(io.atomiccheckpoint.atomicity.FileOptions.withPathPermissions("rwxr-x---")).build());
        checkpoint.createBlocking();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpoint.get().toPath())))
                .isEqualTo("rwxr-x---");
        Files.createDirectory(finalLocation.toPath());
        assertThatThrownBy(checkpoint::commitBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("already exists (without a commit marker)");
    }

    @Test
    void commitSettingsRejectBadValues() {
        assertThatThrownBy(() -> CommitSettings.builder().markerName("a/b"))
                .hasMessageContaining("marker name 'a/b'");
        assertThatThrownBy(() -> CommitSettings.builder().temporarySuffix("tmp"))
                .hasMessageContaining("must start with '.'");
        assertThatThrownBy(() -> CommitSettings.builder().copyConcurrency(0))
                .hasMessageContaining("copy concurrency must be 1 to 1024, was 0");
        assertThatThrownBy(() -> CommitSettings.builder().listPageSize(0)).hasMessageContaining("list page size");
        assertThatThrownBy(() -> CommitSettings.builder().deleteConcurrency(0))
                .hasMessageContaining("delete concurrency must be 1 to 64, was 0");
        assertThatThrownBy(() -> CommitSettings.builder().deleteConcurrency(65))
                .hasMessageContaining("delete concurrency must be 1 to 64, was 65");
        assertThat(CommitSettings.builder().deleteConcurrency(64).build().toBuilder().build().deleteConcurrency())
                .isEqualTo(64);
    }
}
