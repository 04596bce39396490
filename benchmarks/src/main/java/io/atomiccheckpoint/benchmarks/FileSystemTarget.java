package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local filesystem store in a temporary directory; the raw copier is {@link Files#copy}. In the cloud-like
 * regime both wait the regime's latency per call ({@link LatencyObjectStore}).
 */
final class FileSystemTarget implements StoreTarget {
    private final AtomicLong counter = new AtomicLong();
    private final Store setup = Store.of(new FileSystemObjectStore());
    private final Path root;

    FileSystemTarget() {
        try {
            root = Files.createTempDirectory("atomic-checkpoint-bench").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public boolean networked() {
        return false;
    }

    @Override
    public Store store() {
        return setup;
    }

    @Override
    public Location newScratchLocation() {
        return Location.of(root).resolve("run" + counter.incrementAndGet());
    }

    @Override
    public StoreConfig config() {
        return StoreConfig.empty();
    }

    @Override
    public int emulatorPort() {
        throw new UnsupportedOperationException("the filesystem has no port");
    }

    @Override
    public Optional<ProcessCpu> emulator() {
        return Optional.empty();
    }

    @Override
    public Optional<String> hadoopMissing() {
        return Optional.of("the local filesystem's own rename is not the peer the issue asks for (Hadoop rename on"
                + " object stores); not run");
    }

    @Override
    public Connection connect(int port, RequestCounts wire, boolean withHadoop) {
        return connect(wire, 0);
    }

    @Override
    public Connection connectWithLatency(RequestCounts wire, int latencyMillis) {
        return connect(wire, latencyMillis);
    }

    private Connection connect(RequestCounts wire, int latencyMillis) {
        FileSystemObjectStore files = new FileSystemObjectStore();
        Store store = Store.of(latencyMillis == 0 ? files : new LatencyObjectStore(files, latencyMillis));
        return new Connection(store, (source, target) -> {
            wire.add("copy");
            if (latencyMillis > 0) {
                LatencyObjectStore.roundTrip(latencyMillis);
            }
            try {
                Files.createDirectories(target.toPath().getParent());
                Files.copy(source.toPath(), target.toPath());
            } catch (IOException e) {
                throw new UncheckedIOException("copy " + source + " to " + target, e);
            }
        }, Optional.empty());
    }

    @Override
    public void close() {
        setup.pruneEmptyDirectories(Location.of(root));
    }
}
