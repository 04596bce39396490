package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Builds the SDK's {@link BlobServiceClient} from {@link AzureStoreSettings}: the credential (connection string,
 * SAS token, or {@code DefaultAzureCredential}), the endpoint, the retry budget and the HTTP client, then lets
 * the caller adjust the builder (for example to add a fault-injecting pipeline policy in tests).
 *
 * <p>{@code azure.timeout.attempt} is enforced by the HTTP client (connect, write, response and read timeouts):
 * the SDK's own try timeout does not bound a synchronous call whose server never answers, because the call
 * blocks the very thread that would observe the timeout.
 */
final class AzureClientFactory {
    /**
     * One HTTP client (and connection pool) per attempt timeout, shared by the stores of this process: a client
     * per store would leave a pool behind for each store opened.
     */
    private static final Map<Duration, HttpClient> HTTP_CLIENTS = new ConcurrentHashMap<>();

    private AzureClientFactory() {
    }

    static BlobServiceClient build(AzureStoreSettings settings, Consumer<BlobServiceClientBuilder> customizer) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
        Setting<String> accountSource;
        if (settings.connectionString.isPresent()) {
            try {
                builder.connectionString(settings.connectionString.get());
            } catch (RuntimeException e) {
                // The SDK's message may quote the string, and the string holds the key: no cause, no text.
                throw new InvalidSettingException(AzureStoreSettings.CONNECTION_STRING.key(),
                        "is not a valid Azure Storage connection string");
            }
            settings.endpoint.ifPresent(builder::endpoint);
            accountSource = settings.endpoint.isPresent() ? AzureStoreSettings.ENDPOINT
                    : AzureStoreSettings.CONNECTION_STRING;
        } else {
            builder.endpoint(settings.endpoint.orElseGet(() -> defaultEndpoint(settings.account.orElseThrow())));
            if (settings.sasToken.isPresent()) {
                builder.sasToken(settings.sasToken.get());
            } else {
                builder.credential(new DefaultAzureCredentialBuilder().build());
            }
            accountSource = AzureStoreSettings.ENDPOINT;
        }
        // The SDK's try timeout counts whole seconds (at least one); the HTTP client enforces the exact value.
        Duration tryTimeout = Duration.ofSeconds(Math.max(1, (settings.attemptTimeout.toMillis() + 999) / 1000));
        builder.retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, settings.maxAttempts,
                tryTimeout, settings.retryDelay, settings.retryMaxDelay, null));
        builder.httpClient(httpClient(settings.attemptTimeout));
        customizer.accept(builder);
        BlobServiceClient client = builder.buildClient();
        settings.account.ifPresent(expected -> {
            if (!expected.equals(client.getAccountName())) {
                throw new InvalidSettingException(accountSource.key(), "names storage account '"
                        + Messages.quote(client.getAccountName()) + "' but the location or "
                        + AzureStoreSettings.ACCOUNT.key() + " names '" + Messages.quote(expected) + "'");
            }
        });
        return client;
    }

    /** The shared HTTP client whose every wait is bounded by {@code attemptTimeout}. */
    static HttpClient httpClient(Duration attemptTimeout) {
        return HTTP_CLIENTS.computeIfAbsent(attemptTimeout, t -> HttpClient.createDefault(new HttpClientOptions()
                .setConnectTimeout(t)
                .setWriteTimeout(t)
                .setResponseTimeout(t)
                .setReadTimeout(t)));
    }

    static String defaultEndpoint(String account) {
        return "https://" + account + ".blob.core.windows.net";
    }
}
