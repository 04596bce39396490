package io.atomiccheckpoint.gcs.testing;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.atomiccheckpoint.gcs.GcsObjectStore;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Opens {@link GcsObjectStore}s against the shared {@link FakeGcsServer}, hands out fresh scratch locations in a
 * test bucket, and offers the emulator as {@link StoreUnderTest}s, for this module's tests, the integration-tests
 * module and the benchmarks.
 */
public final class FakeGcsStores {
    /** The bucket every test writes into. */
    public static final String BUCKET = "atomic-checkpoint-test";

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicLong COUNTER = new AtomicLong();
    private static boolean bucketCreated;

    private FakeGcsStores() {
    }

    /** Settings pointing at the shared emulator, without credentials, with a short retry budget and deadline. */
    public static StoreConfig config() {
        return StoreConfig.empty()
                .with("gcs.endpoint", FakeGcsServer.shared().endpoint())
                .with("gcs.project", "atomic-checkpoint-test")
                .with("gcs.credentials", "none")
                .with("gcs.retry.maxAttempts", "3")
                .with("gcs.timeout.operation", "PT30S");
    }

    /** A new store on the shared emulator with {@link #config()}; the caller closes it. */
    public static GcsObjectStore open() {
        return open(config());
    }

    /** A new store on the shared emulator with {@code config}; the test bucket exists when it returns. */
    public static GcsObjectStore open(StoreConfig config) {
        GcsObjectStore store = GcsObjectStore.open(config);
        ensureBucket(store.client());
        return store;
    }

    /** As {@link #open(StoreConfig)}, with every request going through {@code http} (to record or fault it). */
    public static GcsObjectStore open(StoreConfig config, RecordingConnections http) {
        GcsObjectStore store = GcsObjectStore.builder().config(config).customizeOptions(http.install()).build();
        ensureBucket(store.client());
        return store;
    }

    /**
     * Creates the test bucket once per JVM. The create carries no precondition: the emulator belongs to this JVM,
     * and a bucket that already exists is found by the lookup first.
     */
    public static synchronized void ensureBucket(Storage client) {
        if (!bucketCreated) {
            if (client.get(BUCKET) == null) {
                client.create(BucketInfo.of(BUCKET));
            }
            bucketCreated = true;
        }
    }

    /** A location no other call returns, below which a test may write. */
    public static Location newScratchLocation() {
        return Location.parse("gs://" + BUCKET + "/run-" + RUN + "/t" + COUNTER.incrementAndGet());
    }

    /**
     * The emulator with the default settings: copies are server-side rewrites, whose preconditions
     * fake-gcs-server ignores (see {@code FakeGcsServerBehaviourTest.emulatorGap...}), hence its two gaps.
     */
    public static Fixture fixture() {
        return Fixtures.REWRITE;
    }

    /**
     * The emulator with {@code gcs.createOnlyCopy=download-upload}: copies with a condition read the pinned
     * generation and upload it with {@code ifGenerationMatch=0}, both of which the emulator enforces, so it has no
     * gap. The protocol suites that need refused copies run on this one.
     */
    public static Fixture downloadUploadFixture() {
        return Fixtures.DOWNLOAD_UPLOAD;
    }

    /** As {@link #fixture()}, with every write going through a resumable upload in 256 KiB chunks. */
    public static Fixture resumableFixture() {
        return Fixtures.RESUMABLE;
    }

    private static final class Fixtures {
        static final Set<StoreUnderTest.EmulatorGap> REWRITE_GAPS = Set.of(
                StoreUnderTest.EmulatorGap.CREATE_ONLY_COPY_NOT_ENFORCED,
                StoreUnderTest.EmulatorGap.PINNED_COPY_NOT_ENFORCED);
        static final Fixture REWRITE = new Fixture("gcs (fake-gcs-server)", StoreConfig.empty(), REWRITE_GAPS);
        static final Fixture DOWNLOAD_UPLOAD = new Fixture("gcs (fake-gcs-server, download-upload copies)",
                StoreConfig.empty().with("gcs.createOnlyCopy", "download-upload"), Set.of());
        static final Fixture RESUMABLE = new Fixture("gcs (fake-gcs-server, resumable uploads)",
                StoreConfig.empty().with("gcs.resumableThreshold", "0")
                        .with("gcs.uploadChunkSize", Integer.toString(256 * 1024)), REWRITE_GAPS);
    }

    /**
     * fake-gcs-server as a {@link StoreUnderTest}: the emulator starts and the store opens on first use; every
     * request is recorded ({@link #requests()}) so that tests of emulator gaps can assert what the store sends.
     */
    public static final class Fixture implements StoreUnderTest {
        private final String name;
        private final StoreConfig extra;
        private final Set<EmulatorGap> gaps;
        private final RecordingConnections requests = RecordingConnections.recording();
        private Store store;

        private Fixture(String name, StoreConfig extra, Set<EmulatorGap> gaps) {
            this.name = name;
            this.extra = extra;
            this.gaps = gaps;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized Store store() {
            if (store == null) {
                store = Store.of(open(config(), requests));
            }
            return store;
        }

        @Override
        public Location newScratchLocation() {
            return FakeGcsStores.newScratchLocation();
        }

        /** The emulator's settings and this fixture's own; no credentials. */
        @Override
        public StoreConfig config() {
            StoreConfig config = FakeGcsStores.config();
            for (var e : extra.asMap().entrySet()) {
                config = config.with(e.getKey(), e.getValue());
            }
            return config;
        }

        @Override
        public Set<EmulatorGap> gaps() {
            return gaps;
        }

        /** Every request this fixture's store sent. */
        public RecordingConnections requests() {
            return requests;
        }

        /** The rewrite requests sent from {@code source} to {@code target}, in order. */
        public List<String> rewrites(Location source, Location target) {
            String from = "/o/" + encode(source.key()) + "/rewriteTo/b/" + target.bucket() + "/o/" + encode(target.key());
            return requests.urls().stream()
                    .filter(u -> u.contains(from + "?") || u.endsWith(from))
                    .collect(Collectors.toList());
        }

        private static String encode(String key) {
            return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
