package io.atomiccheckpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.atomicity.CommitConflictException;
import io.atomiccheckpoint.atomicity.CommitResult;
import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Payload;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore.When;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Retries a create-only put once after a transient failure, as the cloud SDKs do. */
    private static final class RetryOnce extends ForwardingObjectStore {
        RetryOnce(InMemoryObjectStore store) {
            super(store);
        }

        @Override
        protected void beforeCall(String operation, Location location) {
        }

        @Override
        public ObjectInfo put(Location location, Payload payload, PutMode mode) {
            try {
                return super.put(location, payload, mode);
            } catch (StoreException e) {
                if (e.kind() != ErrorKind.TRANSIENT) {
                    throw e;
                }
                return super.put(location, payload, mode);
            }
        }
    }

    @Test
    void aRetriedMarkerWriteThatFindsItsOwnMarkerSucceeds() throws Exception {
        InMemoryObjectStore memory = new InMemoryObjectStore();
        // The marker is written, then its response is lost: the SDK's retry would meet its own marker.
        AtomicInteger lost = memory.failWhen(call -> call.operation().equals("put")
                && call.location().name().equals(CommitSettings.DEFAULT_MARKER_NAME), When.AFTER, 1);
        PrefixCopyCommit strategy = new PrefixCopyCommit(Store.of(new RetryOnce(memory)));
        Location finalLocation = Location.parse("mem://bucket/run/step_1");
        TemporaryPath checkpoint = strategy.fromFinal(finalLocation);
        checkpoint.createBlocking();
        checkpoint.staging().write("a", new byte[] {1});
        CommitResult result = checkpoint.commitBlocking();
        assertThat(lost.get()).as("lost responses injected").isEqualTo(1);
        assertThat(result.manifest().commitId()).isPresent();
        strategy.validateFinal(finalLocation);
        assertThat(strategy.validateDeep(finalLocation).isIntact()).isTrue();
    }

    @Test
    void aMarkerWrittenByAnotherCommitIsAConflict() throws Exception {
        PrefixCopyCommit strategy = new PrefixCopyCommit(Store.of(new FileSystemObjectStore()));
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
