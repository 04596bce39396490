package io.atomiccheckpoint.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.TransportOptions;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.BlobWriteSessionConfigs;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Builds the SDK client (JSON over HTTP) from {@link GcsSettings}: endpoint, credentials, and the retry budget
 * and deadlines, which are applied after any caller customisation so that {@code gcs.timeout.*} always hold.
 */
final class GcsClientFactory {
    private GcsClientFactory() {
    }

    static Storage create(GcsSettings settings, UnaryOperator<HttpStorageOptions.Builder> customizer) {
        HttpStorageOptions.Builder builder = StorageOptions.http()
                .setCredentials(credentials(settings))
                .setRetrySettings(retrySettings(settings))
                .setBlobWriteSessionConfig(BlobWriteSessionConfigs.getDefault().withChunkSize(settings.uploadChunkSize()));
        settings.endpoint().ifPresent(builder::setHost);
        settings.project().ifPresent(builder::setProjectId);
        if (settings.project().isEmpty() && settings.credentials() == GcsSettings.CredentialsMode.NONE) {
            // Object operations need no project; this stops the SDK probing the metadata server for one.
            builder.setProjectId("no-project");
        }
        HttpStorageOptions customized = customizer.apply(builder).build();
        return withDeadlines(customized, settings).getService();
    }

    /**
     * The retry budget: {@code gcs.retry.maxAttempts} attempts, exponential back-off, and
     * {@code gcs.timeout.operation} as the total time after which no further attempt starts.
     */
    static RetrySettings retrySettings(GcsSettings settings) {
        Duration attempt = settings.attemptTimeout();
        return RetrySettings.newBuilder()
                .setMaxAttempts(settings.maxAttempts())
                .setInitialRetryDelayDuration(settings.retryInitialDelay())
                .setMaxRetryDelayDuration(settings.retryMaxDelay())
                .setRetryDelayMultiplier(2.0)
                .setTotalTimeoutDuration(settings.operationTimeout())
                .setInitialRpcTimeoutDuration(attempt)
                .setMaxRpcTimeoutDuration(attempt)
                .setRpcTimeoutMultiplier(1.0)
                .build();
    }

    /**
     * The options with the connect and read timeouts of every HTTP request set to the attempt timeout: the HTTP
     * transport does not take them from {@link RetrySettings}, and a customizer that installs its own transport
     * (for fault injection, say) would otherwise reset them to the SDK's 20 s.
     */
    private static HttpStorageOptions withDeadlines(HttpStorageOptions options, GcsSettings settings) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.attemptTimeout().toMillis()));
        TransportOptions transport = options.getTransportOptions();
        HttpTransportOptions.Builder http = transport instanceof HttpTransportOptions
                ? ((HttpTransportOptions) transport).toBuilder()
                : HttpTransportOptions.newBuilder();
        return options.toBuilder()
                .setTransportOptions(http.setConnectTimeout(millis).setReadTimeout(millis).build())
                .setRetrySettings(retrySettings(settings))
                .build();
    }

    private static Credentials credentials(GcsSettings settings) {
        switch (settings.credentials()) {
            case NONE:
                return NoCredentials.getInstance();
            case ACCESS_TOKEN:
                return GoogleCredentials.create(new AccessToken(settings.accessToken().orElseThrow(), null));
            case ADC:
            default:
                try {
                    return GoogleCredentials.getApplicationDefault();
                } catch (IOException e) {
                    // The SDK's message only explains where it looked; it carries no secret.
                    throw new AtomicCheckpointException(ErrorKind.UNAUTHENTICATED, "GCS: no Application Default"
                            + " Credentials found (set GOOGLE_APPLICATION_CREDENTIALS or run 'gcloud auth"
                            + " application-default login'; use " + GcsSettings.CREDENTIALS.key() + "=none for"
                            + " emulators): " + Messages.quote(e.getMessage()), e);
                }
        }
    }
}
