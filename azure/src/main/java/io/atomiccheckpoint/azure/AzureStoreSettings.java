package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.store.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code azure.*} settings of a {@link StoreConfig}, parsed and checked once; see
 * {@link AzureBlobObjectStore} for what each key means. Holds secrets, so it has no {@code toString}.
 */
final class AzureStoreSettings {
    static final String ACCOUNT = "azure.account";
    static final String ENDPOINT = "azure.endpoint";
    static final String CONNECTION_STRING = "azure.connectionString";
    static final String SAS_TOKEN = "azure.sasToken";
    static final String RETRY_MAX_TRIES = "azure.retry.maxTries";
    static final String RETRY_DELAY = "azure.retry.delay";
    static final String RETRY_MAX_DELAY = "azure.retry.maxDelay";
    static final String RETRY_TRY_TIMEOUT = "azure.retry.tryTimeout";
    static final String SINGLE_UPLOAD_MAX_BYTES = "azure.upload.singleMaxBytes";
    static final String BLOCK_BYTES = "azure.upload.blockBytes";
    static final String SYNC_COPY_MAX_BYTES = "azure.syncCopyMaxBytes";
    static final String COPY_POLL_INTERVAL = "azure.copy.pollInterval";
    static final String COPY_TIMEOUT = "azure.copy.timeout";

    /** Copy Blob From URL refuses sources above 256 MiB. */
    static final long SERVICE_SYNC_COPY_LIMIT = 256L * 1024 * 1024;
    /** Put Blob accepts up to 5000 MiB; Put Block up to 4000 MiB. */
    static final long SERVICE_MAX_BLOCK_BYTES = 4000L * 1024 * 1024;

    final Optional<String> account;
    final Optional<String> endpoint;
    final Optional<String> connectionString;
    final Optional<String> sasToken;
    final int retryMaxTries;
    final Duration retryDelay;
    final Duration retryMaxDelay;
    final Duration retryTryTimeout;
    final UploadSettings upload;
    final CopySettings copy;

    AzureStoreSettings(StoreConfig config) {
        this.account = nonBlank(config, ACCOUNT);
        this.endpoint = nonBlank(config, ENDPOINT);
        this.connectionString = nonBlank(config, CONNECTION_STRING);
        this.sasToken = nonBlank(config, SAS_TOKEN).map(s -> s.startsWith("?") ? s.substring(1) : s);
        if (connectionString.isPresent() && sasToken.isPresent()) {
            throw new IllegalArgumentException("set either " + CONNECTION_STRING + " or " + SAS_TOKEN + ", not both");
        }
        if (connectionString.isEmpty() && account.isEmpty() && endpoint.isEmpty()) {
            throw new IllegalArgumentException("Azure store needs " + ACCOUNT + ", " + ENDPOINT + " or "
                    + CONNECTION_STRING + " to know which storage account to use");
        }
        endpoint.ifPresent(AzureStoreSettings::checkEndpoint);
        this.retryMaxTries = atLeast(RETRY_MAX_TRIES, config.getInt(RETRY_MAX_TRIES, 4), 1);
        this.retryDelay = positive(RETRY_DELAY, config.getDuration(RETRY_DELAY, Duration.ofMillis(800)));
        this.retryMaxDelay = positive(RETRY_MAX_DELAY, config.getDuration(RETRY_MAX_DELAY, Duration.ofSeconds(30)));
        if (retryMaxDelay.compareTo(retryDelay) < 0) {
            throw new IllegalArgumentException(RETRY_MAX_DELAY + " must not be shorter than " + RETRY_DELAY);
        }
        this.retryTryTimeout = positive(RETRY_TRY_TIMEOUT,
                config.getDuration(RETRY_TRY_TIMEOUT, Duration.ofMinutes(5)));
        this.upload = new UploadSettings(
                config.getLong(SINGLE_UPLOAD_MAX_BYTES, UploadSettings.DEFAULT_SINGLE_MAX),
                config.getLong(BLOCK_BYTES, UploadSettings.DEFAULT_BLOCK));
        this.copy = new CopySettings(
                config.getLong(SYNC_COPY_MAX_BYTES, SERVICE_SYNC_COPY_LIMIT),
                config.getDuration(COPY_POLL_INTERVAL, Duration.ofSeconds(1)),
                config.getDuration(COPY_TIMEOUT, Duration.ofHours(1)));
    }

    /** Values to mask in any text this store produces, beyond what the {@link SecretRedactor} shapes catch. */
    List<String> secrets() {
        List<String> out = new ArrayList<>();
        sasToken.ifPresent(out::add);
        connectionString.ifPresent(cs -> {
            out.add(cs);
            for (String part : cs.split(";")) {
                int eq = part.indexOf('=');
                String name = eq < 0 ? "" : part.substring(0, eq).trim();
                if (name.equalsIgnoreCase("AccountKey") || name.equalsIgnoreCase("SharedAccessSignature")) {
                    out.add(part.substring(eq + 1).trim());
                }
            }
        });
        return out;
    }

    private static Optional<String> nonBlank(StoreConfig config, String key) {
        return config.get(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static void checkEndpoint(String endpoint) {
        if (!endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
            throw new IllegalArgumentException(ENDPOINT + " must be an http(s) URL, for example"
                    + " https://<account>.blob.core.windows.net");
        }
        if (endpoint.indexOf('?') >= 0) {
            throw new IllegalArgumentException(ENDPOINT + " must not contain a query string; put a SAS token in "
                    + SAS_TOKEN);
        }
    }

    static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("setting " + key + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("setting " + key + " must be a positive duration, was " + value);
        }
        return value;
    }

    /** How {@link BlobUploader} splits a write into one Put Blob or staged blocks. */
    static final class UploadSettings {
        static final long DEFAULT_SINGLE_MAX = 8L * 1024 * 1024;
        static final long DEFAULT_BLOCK = 8L * 1024 * 1024;

        final long singleUploadMaxBytes;
        final long blockBytes;

        UploadSettings(long singleUploadMaxBytes, long blockBytes) {
            if (singleUploadMaxBytes < 0 || singleUploadMaxBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("setting " + SINGLE_UPLOAD_MAX_BYTES
                        + " must be between 0 and 2 GiB (it is buffered in memory), was " + singleUploadMaxBytes);
            }
            if (blockBytes < 1 || blockBytes > Math.min(SERVICE_MAX_BLOCK_BYTES, Integer.MAX_VALUE - 8)) {
                throw new IllegalArgumentException("setting " + BLOCK_BYTES
                        + " must be between 1 byte and 2 GiB (one block is buffered in memory), was " + blockBytes);
            }
            this.singleUploadMaxBytes = singleUploadMaxBytes;
            this.blockBytes = blockBytes;
        }
    }

    /** When {@link ServerSideCopier} copies synchronously and how long it waits for asynchronous copies. */
    static final class CopySettings {
        final long syncCopyMaxBytes;
        final Duration pollInterval;
        final Duration timeout;

        CopySettings(long syncCopyMaxBytes, Duration pollInterval, Duration timeout) {
            if (syncCopyMaxBytes < 0 || syncCopyMaxBytes > SERVICE_SYNC_COPY_LIMIT) {
                throw new IllegalArgumentException("setting " + SYNC_COPY_MAX_BYTES + " must be between 0 and "
                        + SERVICE_SYNC_COPY_LIMIT + " (the service's Copy Blob From URL limit), was " + syncCopyMaxBytes);
            }
            this.syncCopyMaxBytes = syncCopyMaxBytes;
            this.pollInterval = positive(COPY_POLL_INTERVAL, pollInterval);
            this.timeout = positive(COPY_TIMEOUT, timeout);
        }

        static CopySettings defaults() {
            return new CopySettings(SERVICE_SYNC_COPY_LIMIT, Duration.ofSeconds(1), Duration.ofHours(1));
        }
    }
}
