package io.atomiccheckpoint.it;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.atomiccheckpoint.azure.AzureBlobObjectStore;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Azure Blob Storage on Azurite. Faults are injected by an {@link HttpPipelinePolicy} placed per retry, so
 * the SDK's retry policy sees each injected failure as it would see a real one.
 */
final class AzureFixture implements StoreFixture {
    private final Store store = Store.of(AzuriteStores.open(Map.of()));
    private final Location container = AzuriteStores.newContainer("it");

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public StoreConfig config() {
        return AzuriteStores.config();
    }

    @Override
    public Location newScratchLocation() {
        return AzuriteStores.scratch(container);
    }

    @Override
    public String createOnlyMechanism() {
        // Every create-only request of the Azure store (Put Blob, Copy Blob From URL, Put Block List) carries it.
        return "If-None-Match: * on Put Blob and Copy Blob From URL; racers not serialised";
    }

    @Override
    public Store storeWithFaults(double rate, Fault fault, long seed) {
        return Store.of(AzureBlobObjectStore.builder().config(AzuriteStores.config().with("azure.retry.maxAttempts", "6"))
                .clientCustomizer(b -> b.addPolicy(new FaultPolicy(rate, fault, seed))).build());
    }

    private static final String FAKE_KEY = "RkFLRS1BQ0NPVU5ULUtFWS1kby1ub3QtcHJpbnQtbWUtOTk5OQ==";
    private static final String FAKE_SIGNATURE = "FAKESIGNATUREdoNotPrint%2B42";

    @Override
    public List<StoreConfig> fakeCredentialConfigs() {
        String endpoint = io.atomiccheckpoint.azure.testing.AzuriteLauncher.shared().blobEndpoint();
        return List.of(
                StoreConfig.of(Map.of("azure.connectionString", "DefaultEndpointsProtocol=http;AccountName="
                        + io.atomiccheckpoint.azure.testing.AzuriteLauncher.ACCOUNT + ";AccountKey=" + FAKE_KEY
                        + ";BlobEndpoint=" + endpoint + ";", "azure.retry.maxAttempts", "1")),
                StoreConfig.of(Map.of("azure.account", io.atomiccheckpoint.azure.testing.AzuriteLauncher.ACCOUNT,
                        "azure.endpoint", endpoint, "azure.sasToken", "sv=2023-11-03&ss=b&srt=sco&sp=rl&sig="
                        + FAKE_SIGNATURE, "azure.retry.maxAttempts", "1")));
    }

    @Override
    public List<String> fakeSecrets() {
        return List.of(FAKE_KEY, FAKE_SIGNATURE, "FAKESIGNATUREdoNotPrint");
    }

    @Override
    public List<Fault> supportedFaults() {
        return List.of(Fault.HTTP_503, Fault.CONNECTION_RESET, Fault.TIMEOUT);
    }

    /**
     * Fails a share of tries: 503 and timeouts before the request is sent; connection resets after the
     * service has processed it, so the response is lost and the retry meets its own earlier write.
     */
    private static final class FaultPolicy implements HttpPipelinePolicy {
        private final double rate;
        private final Fault fault;
        private final Random random;

        FaultPolicy(double rate, Fault fault, long seed) {
            this.rate = rate;
            this.fault = fault;
            this.random = new Random(seed);
        }

        private boolean hit() {
            synchronized (random) {
                return random.nextDouble() < rate;
            }
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            if (!hit()) {
                return next.process();
            }
            switch (fault) {
                case HTTP_503:
                    return Mono.just(new ServiceUnavailable(context.getHttpRequest()));
                case TIMEOUT:
                    return Mono.error(new TimeoutException("injected timeout"));
                default:
                    return next.process().flatMap(r -> Mono.error(new IOException("injected connection reset")));
            }
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            if (!hit()) {
                return next.processSync();
            }
            switch (fault) {
                case HTTP_503:
                    return new ServiceUnavailable(context.getHttpRequest());
                case TIMEOUT:
                    throw new UncheckedIOException(new IOException("injected timeout"));
                default:
                    next.processSync().close();
                    throw new UncheckedIOException(new IOException("injected connection reset"));
            }
        }
    }

    /** The response a throttled or overloaded service sends. */
    private static final class ServiceUnavailable extends HttpResponse {
        ServiceUnavailable(HttpRequest request) {
            super(request);
        }

        @Override
        public int getStatusCode() {
            return 503;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return null;
        }

        @Override
        public String getHeaderValue(HttpHeaderName name) {
            return null;
        }

        @Override
        public HttpHeaders getHeaders() {
            return new HttpHeaders();
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(new byte[0]);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just("");
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just("");
        }
    }
}
