package io.atomiccheckpoint.azure;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.util.function.Consumer;

/**
 * Builds the SDK's {@link BlobServiceClient} from {@link AzureStoreSettings}: picks the credential (connection
 * string, SAS token, or {@code DefaultAzureCredential}), the endpoint and the retry budget, then lets the caller
 * adjust the builder (for example to add a fault-injecting pipeline policy in tests).
 */
final class AzureClientFactory {
    private AzureClientFactory() {
    }

    static BlobServiceClient build(AzureStoreSettings settings, Consumer<BlobServiceClientBuilder> customizer) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder();
        if (settings.connectionString.isPresent()) {
            try {
                builder.connectionString(settings.connectionString.get());
            } catch (RuntimeException e) {
                // The SDK's message may quote the string, and the string holds the key.
                throw new IllegalArgumentException("setting " + AzureStoreSettings.CONNECTION_STRING
                        + " is not a valid Azure Storage connection string", null);
            }
            settings.endpoint.ifPresent(builder::endpoint);
        } else {
            builder.endpoint(settings.endpoint.orElseGet(() -> defaultEndpoint(settings.account.orElseThrow())));
            if (settings.sasToken.isPresent()) {
                builder.sasToken(settings.sasToken.get());
            } else {
                builder.credential(new DefaultAzureCredentialBuilder().build());
            }
        }
        builder.retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, settings.retryMaxTries,
                settings.retryTryTimeout, settings.retryDelay, settings.retryMaxDelay, null));
        customizer.accept(builder);
        BlobServiceClient client = builder.buildClient();
        settings.account.ifPresent(configured -> {
            if (!configured.equals(client.getAccountName())) {
                throw new IllegalArgumentException("setting " + AzureStoreSettings.ACCOUNT + " is '" + configured
                        + "' but the endpoint or connection string names account '" + client.getAccountName() + "'");
            }
        });
        return client;
    }

    static String defaultEndpoint(String account) {
        return "https://" + account + ".blob.core.windows.net";
    }
}
