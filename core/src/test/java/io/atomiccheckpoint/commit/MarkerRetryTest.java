package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ForwardingObjectStore;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.WriteMode;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud SDK that retries a create-only write whose response was lost reports a precondition failure for
 * the write it made itself. The commit must recognise its own marker instead of reporting a conflict.
 */
class MarkerRetryTest {
    @TempDir
    Path dir;

    /** Performs marker writes, then answers as a retried request would: "already exists". */
    private static final class LostResponseStore extends ForwardingObjectStore {
        LostResponseStore() {
            super(new FileSystemObjectStore());
        }

        @Override
        protected void beforeCall(String operation, Location location) {
        }

        @Override
        public ObjectInfo write(Location location, InputStream data, long length, WriteMode mode) {
            ObjectInfo written = delegate().write(location, data, length, mode);
            if (location.name().equals(CommitSettings.DEFAULT_MARKER_NAME) && mode == WriteMode.CREATE) {
                throw new PreconditionFailedException("write", location, null);
            }
            return written;
        }
    }

    @Test
    void aRetriedMarkerWriteThatFindsItsOwnMarkerSucceeds() throws Exception {
        PrefixCopyCommit strategy = new PrefixCopyCommit(new LostResponseStore());
        Location finalLocation = Location.of(dir).resolve("step_1");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        checkpoint.staging().write("a", new byte[] {1});
        CommitResult result = checkpoint.commitBlocking();
        assertThat(result.manifest().commitId()).isPresent();
        strategy.validateFinal(finalLocation);
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void aMarkerWrittenByAnotherCommitIsAConflict() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore();
        PrefixCopyCommit strategy = new PrefixCopyCommit(store);
        Location finalLocation = Location.of(dir).resolve("step_2");
        TemporaryPath first = strategy.fromFinal(finalLocation);
        first.createBlocking();
        first.staging().write("a", new byte[] {1});
        TemporaryPath second = strategy.fromTemporary(first.get());
        first.commitBlocking();
        first.staging().write("a", new byte[] {1});
        assertThatThrownBy(second::commitBlocking).isInstanceOf(CommitConflictException.class)
                .hasMessageContaining("already a committed checkpoint (committed by writer");
    }
}
