package io.atomiccheckpoint.it;

import com.google.api.client.http.javanet.ConnectionFactory;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.cloud.http.HttpTransportOptions;
import io.atomiccheckpoint.gcs.GcsObjectStore;
import io.atomiccheckpoint.gcs.GcsSettings;
import io.atomiccheckpoint.gcs.testing.FakeGcsStores;
import io.atomiccheckpoint.gcs.testing.LostResponseConnection;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.List;
import java.util.Random;

/**
 * Google Cloud Storage on fake-gcs-server. Faults are injected below the SDK, in the HTTP transport's
 * connection factory, so the client's retry settings see them as real network failures.
 *
 * <p>Emulator gap: fake-gcs-server ignores {@code ifGenerationMatch=0} on rewrite, so a create-only
 * server-side copy overwrites instead of failing. Real GCS refuses. The suite therefore runs GCS with
 * {@code gcs.createOnlyCopy=download-upload}, whose create-only upload the emulator does enforce; the
 * server-side path is covered by the gcs module's own tests.
 */
final class GcsFixture implements StoreFixture {
    private static final StoreConfig CONFIG = FakeGcsStores.config().with("gcs.createOnlyCopy", "download-upload");

    private final Store store = Store.of(FakeGcsStores.open(CONFIG));

    @Override
    public String name() {
        return "gcs";
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public StoreConfig config() {
        return CONFIG;
    }

    @Override
    public Location newScratchLocation() {
        return FakeGcsStores.newScratchLocation();
    }

    @Override
    public String createOnlyMechanism() {
        GcsSettings.CreateOnlyCopy copy = store.unwrap(GcsObjectStore.class).orElseThrow().settings().createOnlyCopy();
        return "uploads with ifGenerationMatch=0; copies " + (copy == GcsSettings.CreateOnlyCopy.REWRITE
                ? "as rewrites with ifGenerationMatch=0" : "as download, then upload with ifGenerationMatch=0")
                + "; racers not serialised";
    }

    @Override
    public Store storeWithFaults(double rate, Fault fault, long seed) {
        FaultyConnections connections = new FaultyConnections(rate, fault, seed);
        NetHttpTransport transport = new NetHttpTransport.Builder().setConnectionFactory(connections).build();
        return Store.of(GcsObjectStore.builder().config(CONFIG.with("gcs.retry.maxAttempts", "6")
                .with("gcs.retry.initialDelay", "PT0.02S").with("gcs.retry.maxDelay", "PT0.2S"))
                .customizeOptions(b -> b.setTransportOptions(
                        HttpTransportOptions.newBuilder().setHttpTransportFactory(() -> transport).build()))
                .build());
    }

    @Override
    public List<Fault> supportedFaults() {
        return List.of(Fault.CONNECTION_RESET, Fault.TIMEOUT);
    }

    @Override
    public List<StoreConfig> fakeCredentialConfigs() {
        return List.of(FakeGcsStores.config().with("gcs.credentials", "access-token")
                .with("gcs.accessToken", FAKE_TOKEN).with("gcs.retry.maxAttempts", "1"));
    }

    @Override
    public List<String> fakeSecrets() {
        return List.of(FAKE_TOKEN);
    }

    /** Responses lost after the server acted, over the whole run: FaultInjectionTest checks some were injected. */
    static final java.util.concurrent.atomic.AtomicLong LOST_RESPONSES = new java.util.concurrent.atomic.AtomicLong();

    private static final String FAKE_TOKEN = "ya29.FAKE-TOKEN-do-not-print-7b1e";

    /**
     * Fails a share of connections: a read timeout before the request is sent, or a connection reset after the
     * server processed it ({@link LostResponseConnection}), so the SDK's retry meets its own earlier write (a
     * create-only upload retried onto the object it created: the store's own-earlier-attempt check).
     */
    private static final class FaultyConnections implements ConnectionFactory {
        private final double rate;
        private final Fault fault;
        private final Random random;
        private final java.util.concurrent.atomic.AtomicLong lostResponses = LOST_RESPONSES;

        FaultyConnections(double rate, Fault fault, long seed) {
            this.rate = rate;
            this.fault = fault;
            this.random = new Random(seed);
        }

        @Override
        public HttpURLConnection openConnection(URL url) throws IOException {
            boolean hit;
            synchronized (random) {
                hit = random.nextDouble() < rate;
            }
            if (hit && fault == Fault.TIMEOUT) {
                throw new SocketTimeoutException("injected read timeout");
            }
            HttpURLConnection real = (HttpURLConnection) url.openConnection();
            if (hit) {
                lostResponses.incrementAndGet();
                return new LostResponseConnection(real);
            }
            return real;
        }
    }
}
