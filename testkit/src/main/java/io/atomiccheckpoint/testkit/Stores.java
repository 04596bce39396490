package io.atomiccheckpoint.testkit;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import io.atomiccheckpoint.store.memory.InMemoryObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The stores of {@code core} as {@link StoreUnderTest}s: the local filesystem and the in-memory store. */
public final class Stores {
    private Stores() {
    }

    /** The filesystem store, writing below a fresh temporary directory of this JVM. */
    public static StoreUnderTest filesystem() {
        return Holder.FILESYSTEM;
    }

    /** The in-memory store, on {@code mem://} locations. */
    public static StoreUnderTest memory() {
        return Holder.MEMORY;
    }

    private static final class Holder {
        static final StoreUnderTest FILESYSTEM = new FileSystem();
        static final StoreUnderTest MEMORY = new Memory();
    }

    private static final class FileSystem implements StoreUnderTest {
        private final Store store = Store.of(new FileSystemObjectStore());
        private final Path root;

        FileSystem() {
            try {
                // The real path: the store refuses paths that pass through a symbolic link.
                root = Files.createTempDirectory("atomic-checkpoint-tests").toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::removeRoot, "remove-test-files"));
        }

        private void removeRoot() {
            try (java.util.stream.Stream<Path> all = Files.walk(root)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // Best effort at exit: the files are in the system's temporary directory.
            }
        }

        @Override
        public String name() {
            return "filesystem";
        }

        @Override
        public Store store() {
            return store;
        }

        @Override
        public Location newScratchLocation() {
            return Location.of(root).resolve("t-" + UUID.randomUUID());
        }

        @Override
        public StoreConfig config() {
            return StoreConfig.empty();
        }
    }

    private static final class Memory implements StoreUnderTest {
        private final InMemoryObjectStore spi = new InMemoryObjectStore();
        private final Store store = Store.of(spi);

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public Store store() {
            return store;
        }

        @Override
        public Location newScratchLocation() {
            return Location.parse("mem://scratch/t-" + UUID.randomUUID());
        }

        /** The in-memory store lives in this JVM only; another JVM cannot open it. */
        @Override
        public StoreConfig config() {
            return StoreConfig.empty();
        }
    }
}
