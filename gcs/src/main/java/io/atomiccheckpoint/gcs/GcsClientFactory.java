package io.atomiccheckpoint.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobWriteSessionConfigs;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.util.function.UnaryOperator;

/** Builds the SDK client (JSON/HTTP transport) from {@link GcsSettings}: endpoint, credentials, retry budget. */
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
        return customizer.apply(builder).build().getService();
    }

    static RetrySettings retrySettings(GcsSettings settings) {
        return RetrySettings.newBuilder()
                .setMaxAttempts(settings.retryMaxAttempts())
                .setInitialRetryDelayDuration(settings.retryInitialDelay())
                .setMaxRetryDelayDuration(settings.retryMaxDelay())
                .setRetryDelayMultiplier(2.0)
                .setTotalTimeoutDuration(settings.retryTotalTimeout())
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
                    throw new IllegalStateException("GCS: no Application Default Credentials found (set"
                            + " GOOGLE_APPLICATION_CREDENTIALS or run 'gcloud auth application-default login'; use "
                            + GcsSettings.CREDENTIALS + "=none for emulators): " + e.getMessage(), e);
                }
        }
    }
}
