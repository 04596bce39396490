package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.store.CommonSettings;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.Setting;
import io.atomiccheckpoint.store.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code gcs.*} settings of a {@link GcsObjectStore}: every key as a {@link Setting} constant, and their
 * values parsed and checked once, so that a mistyped key or an out-of-range value fails when the store is opened,
 * naming the key, rather than on the first request. Values are read only through {@link Setting#read}; unknown
 * {@code gcs.*} keys are refused.
 */
public final class GcsSettings {
    /** The environment variable Google's client libraries and emulators use to point at an emulator. */
    public static final String EMULATOR_HOST_ENV = "STORAGE_EMULATOR_HOST";

    /** GCS accepts at most 100 calls in one batch request. */
    public static final int MAX_BATCH = 100;
    /** Resumable upload chunks must be multiples of 256 KiB. */
    public static final int CHUNK_QUANTUM = 256 * 1024;
    /** The most objects one listing page of the JSON API returns. */
    public static final int MAX_LIST_PAGE = 1000;

    /** How the store authenticates. */
    public enum CredentialsMode {
        /** Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server). */
        ADC,
        /** No credentials: for emulators and public buckets. */
        NONE,
        /** A caller-supplied OAuth2 access token ({@code gcs.accessToken}); never printed. */
        ACCESS_TOKEN
    }

    /** How a copy with a condition (a create-only target or a pinned source) is carried out. */
    public enum CreateOnlyCopy {
        /**
         * A server-side rewrite carrying {@code ifGenerationMatch=0} for a create-only target and
         * {@code ifSourceGenerationMatch=<version>} for a pinned source; GCS enforces both.
         */
        REWRITE,
        /**
         * Streams the source's pinned (or current) generation through this process into an upload with the
         * target's condition. Only for emulators that ignore preconditions on rewrites, such as fake-gcs-server;
         * the bytes cross the network twice.
         */
        DOWNLOAD_UPLOAD
    }

    /** {@code gcs.endpoint}. */
    public static final Setting<String> ENDPOINT = Setting.text("gcs.endpoint", null,
            "service URL override for emulators or private endpoints, such as http://127.0.0.1:4443; when unset, "
                    + EMULATOR_HOST_ENV + " is honoured (and implies gcs.credentials=none), else the public endpoint");
    /** {@code gcs.project}. */
    public static final Setting<String> PROJECT = Setting.text("gcs.project", null,
            "project id sent with requests; object operations do not need it");
    /** {@code gcs.credentials}. */
    public static final Setting<CredentialsMode> CREDENTIALS = Setting.choice("gcs.credentials", CredentialsMode.class,
            null, "adc (Application Default Credentials), none (emulators, public buckets) or access-token; when unset,"
                    + " access-token if gcs.accessToken is set, none if " + EMULATOR_HOST_ENV + " is used, else adc");
    /** {@code gcs.accessToken}. */
    public static final Setting<String> ACCESS_TOKEN = Setting.secret("gcs.accessToken",
            "an OAuth2 access token to send instead of Application Default Credentials; never printed");
    /** {@code gcs.retry.maxAttempts}: the common retry budget. */
    public static final Setting<Integer> MAX_ATTEMPTS = CommonSettings.maxAttempts("gcs");
    /** {@code gcs.timeout.attempt}: the common per-attempt deadline (connect and read timeouts of each request). */
    public static final Setting<Duration> ATTEMPT_TIMEOUT = CommonSettings.attemptTimeout("gcs");
    /** {@code gcs.timeout.operation}: the common deadline of a whole operation, retries included. */
    public static final Setting<Duration> OPERATION_TIMEOUT = CommonSettings.operationTimeout("gcs");
    /** {@code gcs.retry.initialDelay}: GCS-specific back-off, kept so tests and emulators can retry quickly. */
    public static final Setting<Duration> RETRY_INITIAL_DELAY = Setting.duration("gcs.retry.initialDelay",
            Duration.ofSeconds(1), "the back-off before the first retry; it doubles per retry up to gcs.retry.maxDelay");
    /** {@code gcs.retry.maxDelay}. */
    public static final Setting<Duration> RETRY_MAX_DELAY = Setting.duration("gcs.retry.maxDelay",
            Duration.ofSeconds(32), "the longest back-off between two attempts; at least gcs.retry.initialDelay");
    /** {@code gcs.deleteBatchSize}. */
    public static final Setting<Integer> DELETE_BATCH_SIZE = Setting.integer("gcs.deleteBatchSize", MAX_BATCH, 1,
            MAX_BATCH, "objects per batch delete request (the GCS batch limit is 100)");
    /** {@code gcs.copyBatchSize}. */
    public static final Setting<Integer> COPY_BATCH_SIZE = Setting.integer("gcs.copyBatchSize", MAX_BATCH, 1,
            MAX_BATCH, "rewrites per JSON batch request when a commit copies (the GCS batch limit is 100; 1 sends each"
                    + " copy as its own request); each keeps its own preconditions and outcome");
    /** {@code gcs.resumableThreshold}. */
    public static final Setting<Integer> RESUMABLE_THRESHOLD = Setting.integer("gcs.resumableThreshold",
            8 * 1024 * 1024, 0, 64 * 1024 * 1024, "writes up to this many bytes are buffered in memory and sent in one"
                    + " request; larger ones use a resumable upload");
    /** {@code gcs.uploadChunkSize}. */
    public static final Setting<Integer> UPLOAD_CHUNK_SIZE = Setting.integer("gcs.uploadChunkSize", 16 * 1024 * 1024,
            CHUNK_QUANTUM, 1024 * 1024 * 1024, "bytes per resumable upload request, a multiple of 262144 (256 KiB)");
    /** {@code gcs.rewriteMegabytesPerCall}. */
    public static final Setting<Long> REWRITE_MEGABYTES_PER_CALL = Setting.longInteger("gcs.rewriteMegabytesPerCall",
            null, 1, Long.MAX_VALUE / (1024 * 1024), "the most one rewrite call copies; unset lets the service choose");
    /** {@code gcs.createOnlyCopy}. */
    public static final Setting<CreateOnlyCopy> CREATE_ONLY_COPY = Setting.choice("gcs.createOnlyCopy",
            CreateOnlyCopy.class, CreateOnlyCopy.REWRITE, "rewrite (server-side; GCS enforces the target's and the"
                    + " pinned source's preconditions) or download-upload (a copy with a condition streams the pinned"
                    + " generation into a conditional upload; only for emulators whose rewrite ignores preconditions)");

    /** Every {@code gcs.*} setting; any other {@code gcs.*} key is refused. */
    public static final List<Setting<?>> SETTINGS = List.of(ENDPOINT, PROJECT, CREDENTIALS, ACCESS_TOKEN, MAX_ATTEMPTS,
            ATTEMPT_TIMEOUT, OPERATION_TIMEOUT, RETRY_INITIAL_DELAY, RETRY_MAX_DELAY, DELETE_BATCH_SIZE,
            COPY_BATCH_SIZE, RESUMABLE_THRESHOLD, UPLOAD_CHUNK_SIZE, REWRITE_MEGABYTES_PER_CALL, CREATE_ONLY_COPY);

    private final String endpoint;
    private final String project;
    private final CredentialsMode credentials;
    private final String accessToken;
    private final int maxAttempts;
    private final Duration attemptTimeout;
    private final Duration operationTimeout;
    private final Duration retryInitialDelay;
    private final Duration retryMaxDelay;
    private final int deleteBatchSize;
    private final int copyBatchSize;
    private final int resumableThreshold;
    private final int uploadChunkSize;
    private final Long rewriteMegabytesPerCall;
    private final CreateOnlyCopy createOnlyCopy;

    private GcsSettings(StoreConfig config, Map<String, String> env) {
        config.requireKnown("gcs", SETTINGS);
        String configured = ENDPOINT.readOptional(config).filter(s -> !s.isEmpty()).orElse(null);
        String emulator = env.get(EMULATOR_HOST_ENV);
        boolean fromEmulatorEnv = configured == null && emulator != null && !emulator.isBlank();
        this.endpoint = configured != null ? checkEndpoint(ENDPOINT.key(), configured)
                : fromEmulatorEnv ? checkEndpoint(EMULATOR_HOST_ENV, emulator.trim()) : null;
        this.project = PROJECT.readOptional(config).filter(s -> !s.isEmpty()).orElse(null);
        this.accessToken = ACCESS_TOKEN.readOptional(config).filter(s -> !s.isEmpty()).orElse(null);
        this.credentials = credentialsMode(CREDENTIALS.readOptional(config), accessToken != null, fromEmulatorEnv);
        this.maxAttempts = MAX_ATTEMPTS.read(config);
        this.attemptTimeout = ATTEMPT_TIMEOUT.read(config);
        this.operationTimeout = OPERATION_TIMEOUT.read(config);
        this.retryInitialDelay = RETRY_INITIAL_DELAY.read(config);
        this.retryMaxDelay = RETRY_MAX_DELAY.read(config);
        if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
            throw new InvalidSettingException(RETRY_MAX_DELAY.key(), "(" + retryMaxDelay + ") must not be shorter than "
                    + RETRY_INITIAL_DELAY.key() + " (" + retryInitialDelay + ")");
        }
        this.deleteBatchSize = DELETE_BATCH_SIZE.read(config);
        this.copyBatchSize = COPY_BATCH_SIZE.read(config);
        this.resumableThreshold = RESUMABLE_THRESHOLD.read(config);
        this.uploadChunkSize = UPLOAD_CHUNK_SIZE.read(config);
        if (uploadChunkSize % CHUNK_QUANTUM != 0) {
            throw new InvalidSettingException(UPLOAD_CHUNK_SIZE.key(), "'" + uploadChunkSize
                    + "' must be a multiple of " + CHUNK_QUANTUM + " bytes (256 KiB)");
        }
        this.rewriteMegabytesPerCall = REWRITE_MEGABYTES_PER_CALL.read(config);
        this.createOnlyCopy = CREATE_ONLY_COPY.read(config);
    }

    /** Parses {@code config}, honouring {@value #EMULATOR_HOST_ENV} from the process environment. */
    public static GcsSettings from(StoreConfig config) {
        return from(config, System.getenv());
    }

    /**
     * Parses {@code config} with an explicit environment (for tests).
     *
     * @throws InvalidSettingException naming the key for an unknown {@code gcs.*} key or a malformed value
     */
    public static GcsSettings from(StoreConfig config, Map<String, String> env) {
        return new GcsSettings(config, env);
    }

    private static CredentialsMode credentialsMode(Optional<CredentialsMode> set, boolean hasToken,
            boolean emulatorEnv) {
        if (set.isEmpty()) {
            return hasToken ? CredentialsMode.ACCESS_TOKEN : emulatorEnv ? CredentialsMode.NONE : CredentialsMode.ADC;
        }
        CredentialsMode mode = set.get();
        if ((mode == CredentialsMode.ACCESS_TOKEN) != hasToken) {
            throw new InvalidSettingException(CREDENTIALS.key(), Setting.spelling(mode)
                    + (hasToken ? " conflicts with " + ACCESS_TOKEN.key() + " being set" : " requires "
                            + ACCESS_TOKEN.key()));
        }
        return mode;
    }

    /** The endpoint as scheme and authority; refused without echoing it, since it might carry credentials. */
    private static String checkEndpoint(String source, String value) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(source, "is not a valid URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new InvalidSettingException(source, "must be an http(s) URL with a host, such as http://127.0.0.1:4443");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidSettingException(source, "must not contain user info, a query or a fragment");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new InvalidSettingException(source, "must not contain a path");
        }
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The service endpoint override, if any (from {@code gcs.endpoint} or the emulator variable). */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<String> project() {
        return Optional.ofNullable(project);
    }

    public CredentialsMode credentials() {
        return credentials;
    }

    /** The access token; package-private so that it cannot leak through a public accessor. */
    Optional<String> accessToken() {
        return Optional.ofNullable(accessToken);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** How long one attempt may wait to connect or for the next bytes; never longer than the operation. */
    public Duration attemptTimeout() {
        return attemptTimeout.compareTo(operationTimeout) < 0 ? attemptTimeout : operationTimeout;
    }

    public Duration operationTimeout() {
        return operationTimeout;
    }

    public Duration retryInitialDelay() {
        return retryInitialDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    public int deleteBatchSize() {
        return deleteBatchSize;
    }

    public int copyBatchSize() {
        return copyBatchSize;
    }

    public int resumableThreshold() {
        return resumableThreshold;
    }

    public int uploadChunkSize() {
        return uploadChunkSize;
    }

    public Optional<Long> rewriteMegabytesPerCall() {
        return Optional.ofNullable(rewriteMegabytesPerCall);
    }

    public CreateOnlyCopy createOnlyCopy() {
        return createOnlyCopy;
    }

    @Override
    public String toString() {
        return "GcsSettings{endpoint=" + (endpoint == null ? "default" : endpoint) + ", project=" + project
                + ", credentials=" + credentials.name().toLowerCase(Locale.ROOT) + ", retry.maxAttempts=" + maxAttempts
                + ", timeout.operation=" + operationTimeout + ", deleteBatchSize=" + deleteBatchSize
                + (createOnlyCopy == CreateOnlyCopy.REWRITE ? "" : ", createOnlyCopy=download-upload") + "}";
    }
}
