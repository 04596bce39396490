package io.atomiccheckpoint.azure;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.CommonSettings;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.Setting;
import io.atomiccheckpoint.store.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every {@code azure.*} setting of {@link AzureBlobObjectStore}, declared once as a {@link Setting} with its
 * default and meaning, and the values of one {@link StoreConfig} read through them. Unknown {@code azure.*} keys
 * are refused, so a misspelt or retired key (such as the former {@code azure.retry.maxTries}) fails loudly
 * instead of being ignored. Holds secrets, so it has no {@code toString}.
 */
public final class AzureStoreSettings {
    /** Copy Blob From URL refuses sources above 256 MiB. */
    public static final long SERVICE_SYNC_COPY_LIMIT = 256L * 1024 * 1024;
    /** Put Block accepts blocks of up to 4000 MiB; one block is buffered in memory, so the JVM caps it lower. */
    public static final long SERVICE_MAX_BLOCK_BYTES = 4000L * 1024 * 1024;
    private static final long MAX_BUFFER = Integer.MAX_VALUE - 8;

    /** {@code azure.account}: the storage account, unless the location, endpoint or connection string names it. */
    public static final Setting<String> ACCOUNT = Setting.text("azure.account", null,
            "the storage account name; not needed when the location (https://<account>.blob.core.windows.net/...),"
                    + " the endpoint or the connection string names it");
    /** {@code azure.endpoint}: the Blob service URL. */
    public static final Setting<String> ENDPOINT = Setting.text("azure.endpoint", null,
            "the Blob service URL; default https://<account>.blob.core.windows.net (Azurite:"
                    + " http://127.0.0.1:<port>/<account>)");
    /** {@code azure.connectionString}: a connection string with an account key or a SAS. */
    public static final Setting<String> CONNECTION_STRING = Setting.secret("azure.connectionString",
            "a storage connection string with an account key or a SAS; copy sources are then signed with the key");
    /** {@code azure.sasToken}: a SAS token, which must also grant read on copy sources. */
    public static final Setting<String> SAS_TOKEN = Setting.secret("azure.sasToken",
            "a SAS token (with or without the leading '?'); it also authorizes copy sources, so it needs read on them."
                    + " Without this or a connection string, DefaultAzureCredential authenticates and copy sources get"
                    + " user-delegation SAS (needs generateUserDelegationKey)");
    /** {@code azure.retry.maxAttempts}: attempts per request, the first included. */
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = CommonSettings.maxAttempts("azure");
    /** {@code azure.retry.delay}: the first back-off of the SDK's exponential retry. */
    public static final Setting<Duration> RETRY_DELAY = Setting.duration("azure.retry.delay", Duration.ofMillis(800),
            "the first back-off between attempts; it doubles per attempt up to azure.retry.maxDelay");
    /** {@code azure.retry.maxDelay}: the longest back-off. */
    public static final Setting<Duration> RETRY_MAX_DELAY = Setting.duration("azure.retry.maxDelay",
            Duration.ofSeconds(30), "the longest back-off between attempts; at least azure.retry.delay");
    /** {@code azure.timeout.attempt}: how long one HTTP attempt may wait for its response or its next bytes. */
    public static final Setting<Duration> ATTEMPT_TIMEOUT = CommonSettings.attemptTimeout("azure");
    /** {@code azure.timeout.operation}: the deadline of each store operation, retries included. */
    public static final Setting<Duration> OPERATION_TIMEOUT = CommonSettings.operationTimeout("azure");
    /** {@code azure.upload.singleMaxBytes}: writes up to this size are one Put Blob. */
    public static final Setting<Long> SINGLE_UPLOAD_MAX_BYTES = Setting.longInteger("azure.upload.singleMaxBytes",
            8L * 1024 * 1024, 0, MAX_BUFFER, "writes up to this many bytes are one Put Blob (buffered in memory);"
                    + " larger ones are staged as blocks and committed with Put Block List");
    /** {@code azure.upload.blockBytes}: the block size of staged writes. */
    public static final Setting<Long> BLOCK_BYTES = Setting.longInteger("azure.upload.blockBytes", 8L * 1024 * 1024,
            1, Math.min(SERVICE_MAX_BLOCK_BYTES, MAX_BUFFER),
            "the block size of staged writes; one block per writing thread is held in memory");
    /** {@code azure.syncCopyMaxBytes}: sources up to this size are copied with Copy Blob From URL. */
    public static final Setting<Long> SYNC_COPY_MAX_BYTES = Setting.longInteger("azure.syncCopyMaxBytes",
            SERVICE_SYNC_COPY_LIMIT, 0, SERVICE_SYNC_COPY_LIMIT, "sources up to this many bytes are copied with the"
                    + " synchronous Copy Blob From URL (the service's limit is 256 MiB); larger ones with the"
                    + " asynchronous Copy Blob, polled until it ends");
    /** {@code azure.copy.pollInterval}: how often an asynchronous copy is polled. */
    public static final Setting<Duration> COPY_POLL_INTERVAL = Setting.duration("azure.copy.pollInterval",
            Duration.ofSeconds(1), "how often an asynchronous copy's status is read; the copy waits at most"
                    + " azure.timeout.operation");

    /** Every {@code azure.*} setting; any other key under {@code azure.} is refused. */
    public static final List<Setting<?>> SETTINGS = List.of(ACCOUNT, ENDPOINT, CONNECTION_STRING, SAS_TOKEN,
            RETRY_MAX_ATTEMPTS, RETRY_DELAY, RETRY_MAX_DELAY, ATTEMPT_TIMEOUT, OPERATION_TIMEOUT,
            SINGLE_UPLOAD_MAX_BYTES, BLOCK_BYTES, SYNC_COPY_MAX_BYTES, COPY_POLL_INTERVAL);

    final Optional<String> account;
    final Optional<String> endpoint;
    final Optional<String> connectionString;
    final Optional<String> sasToken;
    final int maxAttempts;
    final Duration retryDelay;
    final Duration retryMaxDelay;
    final Duration attemptTimeout;
    final Duration operationTimeout;
    final long singleUploadMaxBytes;
    final long blockBytes;
    final long syncCopyMaxBytes;
    final Duration copyPollInterval;

    /**
     * Reads {@code config}; {@code location}, if it names an account ({@code https://} form), supplies it.
     *
     * @throws InvalidSettingException for an unknown {@code azure.*} key, a malformed value, or settings that
     *     contradict each other or the location
     */
    AzureStoreSettings(StoreConfig config, Location location) {
        config.requireKnown("azure", SETTINGS);
        Optional<String> configured = nonBlank(ACCOUNT.readOptional(config));
        Optional<String> fromLocation = location == null ? Optional.empty() : location.account();
        if (configured.isPresent() && fromLocation.isPresent() && !configured.get().equals(fromLocation.get())) {
            throw new InvalidSettingException(ACCOUNT.key(), "is '" + Messages.quote(configured.get())
                    + "' but the location " + location + " names account '" + fromLocation.get() + "'");
        }
        this.account = configured.isPresent() ? configured : fromLocation;
        this.endpoint = nonBlank(ENDPOINT.readOptional(config));
        this.connectionString = nonBlank(CONNECTION_STRING.readOptional(config));
        this.sasToken = nonBlank(SAS_TOKEN.readOptional(config)).map(s -> s.startsWith("?") ? s.substring(1) : s);
        if (connectionString.isPresent() && sasToken.isPresent()) {
            throw new InvalidSettingException(SAS_TOKEN.key(), "set either " + CONNECTION_STRING.key() + " or "
                    + SAS_TOKEN.key() + ", not both");
        }
        if (connectionString.isEmpty() && account.isEmpty() && endpoint.isEmpty()) {
            throw new InvalidSettingException(ACCOUNT.key(), "an Azure store needs to know its storage account: set "
                    + ACCOUNT.key() + ", " + ENDPOINT.key() + " or " + CONNECTION_STRING.key()
                    + ", or use an https://<account>.blob.core.windows.net/... location");
        }
        endpoint.ifPresent(AzureStoreSettings::checkEndpoint);
        this.maxAttempts = RETRY_MAX_ATTEMPTS.read(config);
        this.retryDelay = RETRY_DELAY.read(config);
        this.retryMaxDelay = RETRY_MAX_DELAY.read(config);
        if (retryMaxDelay.compareTo(retryDelay) < 0) {
            throw new InvalidSettingException(RETRY_MAX_DELAY.key(), "must not be shorter than "
                    + RETRY_DELAY.key() + " (" + retryDelay + ")");
        }
        this.attemptTimeout = ATTEMPT_TIMEOUT.read(config);
        this.operationTimeout = OPERATION_TIMEOUT.read(config);
        this.singleUploadMaxBytes = SINGLE_UPLOAD_MAX_BYTES.read(config);
        this.blockBytes = BLOCK_BYTES.read(config);
        this.syncCopyMaxBytes = SYNC_COPY_MAX_BYTES.read(config);
        this.copyPollInterval = COPY_POLL_INTERVAL.read(config);
    }

    /** Values to mask in any text this store produces, beyond the shapes {@link SecretRedactor} catches. */
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

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(s -> !s.isEmpty());
    }

    private static void checkEndpoint(String endpoint) {
        if (!endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
            throw new InvalidSettingException(ENDPOINT.key(), "must be an http(s) URL, for example"
                    + " https://<account>.blob.core.windows.net");
        }
        if (endpoint.indexOf('?') >= 0) {
            // A SAS pasted into the endpoint would end up in messages; it belongs in the secret setting.
            throw new InvalidSettingException(ENDPOINT.key(), "must not contain a query string; put a SAS token in "
                    + SAS_TOKEN.key());
        }
    }
}
