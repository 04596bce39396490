package io.atomiccheckpoint.gcs;

import io.atomiccheckpoint.store.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code gcs.*} settings of a {@link GcsObjectStore}, parsed and checked once so that a mistyped or
 * out-of-range value fails when the store is opened, naming the key, rather than on the first request.
 * See {@link GcsObjectStore} for what each key means.
 */
public final class GcsSettings {
    /** The environment variable Google's client libraries and emulators use to point at an emulator. */
    public static final String EMULATOR_HOST_ENV = "STORAGE_EMULATOR_HOST";

    static final String ENDPOINT = "gcs.endpoint";
    static final String PROJECT = "gcs.project";
    static final String CREDENTIALS = "gcs.credentials";
    static final String ACCESS_TOKEN = "gcs.accessToken";
    static final String RETRY_MAX_ATTEMPTS = "gcs.retry.maxAttempts";
    static final String RETRY_INITIAL_DELAY = "gcs.retry.initialDelay";
    static final String RETRY_MAX_DELAY = "gcs.retry.maxDelay";
    static final String RETRY_TOTAL_TIMEOUT = "gcs.retry.totalTimeout";
    static final String DELETE_BATCH_SIZE = "gcs.deleteBatchSize";
    static final String RESUMABLE_THRESHOLD = "gcs.resumableThreshold";
    static final String UPLOAD_CHUNK_SIZE = "gcs.uploadChunkSize";
    static final String REWRITE_MEGABYTES_PER_CALL = "gcs.rewriteMegabytesPerCall";
    static final String CREATE_ONLY_COPY = "gcs.createOnlyCopy";

    private static final List<String> KNOWN_KEYS = List.of(ENDPOINT, PROJECT, CREDENTIALS, ACCESS_TOKEN,
            RETRY_MAX_ATTEMPTS, RETRY_INITIAL_DELAY, RETRY_MAX_DELAY, RETRY_TOTAL_TIMEOUT, DELETE_BATCH_SIZE,
            RESUMABLE_THRESHOLD, UPLOAD_CHUNK_SIZE, REWRITE_MEGABYTES_PER_CALL, CREATE_ONLY_COPY);

    /** GCS accepts at most 100 calls in one batch request. */
    static final int MAX_BATCH = 100;
    /** Resumable upload chunks must be multiples of 256 KiB. */
    static final int CHUNK_QUANTUM = 256 * 1024;

    /** How the store authenticates. */
    public enum CredentialsMode {
        /** Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server). */
        ADC,
        /** No credentials: for emulators and public buckets. */
        NONE,
        /** A caller-supplied OAuth2 access token ({@code gcs.accessToken}); never printed. */
        ACCESS_TOKEN
    }

    /** How a create-only copy ({@code WriteMode.CREATE}) is carried out. */
    public enum CreateOnlyCopy {
        /** Server-side rewrite with {@code ifGenerationMatch=0} on the target (GCS enforces it). */
        REWRITE,
        /**
         * Streams the source through this process into a create-only upload. Only for emulators that ignore
         * preconditions on rewrites, such as fake-gcs-server; the bytes cross the network twice.
         */
        DOWNLOAD_UPLOAD
    }

    private final String endpoint;
    private final CreateOnlyCopy createOnlyCopy;
    private final String project;
    private final CredentialsMode credentials;
    private final String accessToken;
    private final int retryMaxAttempts;
    private final Duration retryInitialDelay;
    private final Duration retryMaxDelay;
    private final Duration retryTotalTimeout;
    private final int deleteBatchSize;
    private final int resumableThreshold;
    private final int uploadChunkSize;
    private final Long rewriteMegabytesPerCall;

    private GcsSettings(StoreConfig config, Map<String, String> env) {
        for (String key : config.asMap().keySet()) {
            if (key.startsWith("gcs.") && !KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown GCS setting '" + key + "'; known settings: " + KNOWN_KEYS);
            }
        }
        String configured = config.get(ENDPOINT).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        String emulator = env.get(EMULATOR_HOST_ENV);
        boolean fromEmulatorEnv = configured == null && emulator != null && !emulator.isBlank();
        this.endpoint = configured != null ? checkEndpoint(ENDPOINT, configured)
                : fromEmulatorEnv ? checkEndpoint(EMULATOR_HOST_ENV, emulator.trim()) : null;
        this.project = config.get(PROJECT).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        this.accessToken = config.get(ACCESS_TOKEN).filter(s -> !s.isBlank()).orElse(null);
        this.credentials = credentialsMode(config.get(CREDENTIALS).orElse(null), accessToken != null, fromEmulatorEnv);
        this.retryMaxAttempts = atLeast(RETRY_MAX_ATTEMPTS, config.getInt(RETRY_MAX_ATTEMPTS, 6), 1);
        this.retryInitialDelay = positive(RETRY_INITIAL_DELAY, config.getDuration(RETRY_INITIAL_DELAY, Duration.ofSeconds(1)));
        this.retryMaxDelay = positive(RETRY_MAX_DELAY, config.getDuration(RETRY_MAX_DELAY, Duration.ofSeconds(32)));
        this.retryTotalTimeout = positive(RETRY_TOTAL_TIMEOUT, config.getDuration(RETRY_TOTAL_TIMEOUT, Duration.ofSeconds(50)));
        if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
            throw new IllegalArgumentException("setting " + RETRY_MAX_DELAY + " (" + retryMaxDelay
                    + ") must not be shorter than " + RETRY_INITIAL_DELAY + " (" + retryInitialDelay + ")");
        }
        this.deleteBatchSize = config.getInt(DELETE_BATCH_SIZE, MAX_BATCH);
        if (deleteBatchSize < 1 || deleteBatchSize > MAX_BATCH) {
            throw new IllegalArgumentException("setting " + DELETE_BATCH_SIZE + " must be between 1 and " + MAX_BATCH
                    + " (the GCS batch limit), was " + deleteBatchSize);
        }
        this.resumableThreshold = config.getInt(RESUMABLE_THRESHOLD, 8 * 1024 * 1024);
        if (resumableThreshold < 0 || resumableThreshold > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("setting " + RESUMABLE_THRESHOLD
                    + " must be between 0 and 67108864 bytes (it is buffered in memory), was " + resumableThreshold);
        }
        this.uploadChunkSize = config.getInt(UPLOAD_CHUNK_SIZE, 16 * 1024 * 1024);
        if (uploadChunkSize < CHUNK_QUANTUM || uploadChunkSize % CHUNK_QUANTUM != 0) {
            throw new IllegalArgumentException("setting " + UPLOAD_CHUNK_SIZE + " must be a positive multiple of "
                    + CHUNK_QUANTUM + " bytes (256 KiB), was " + uploadChunkSize);
        }
        long rewrite = config.getLong(REWRITE_MEGABYTES_PER_CALL, 0);
        if (rewrite < 0) {
            throw new IllegalArgumentException("setting " + REWRITE_MEGABYTES_PER_CALL + " must be positive, was " + rewrite);
        }
        this.rewriteMegabytesPerCall = rewrite == 0 ? null : rewrite;
        String copy = config.get(CREATE_ONLY_COPY, "rewrite").trim();
        if (copy.equals("rewrite")) {
            this.createOnlyCopy = CreateOnlyCopy.REWRITE;
        } else if (copy.equals("download-upload")) {
            this.createOnlyCopy = CreateOnlyCopy.DOWNLOAD_UPLOAD;
        } else {
            throw new IllegalArgumentException("setting " + CREATE_ONLY_COPY + " must be rewrite or download-upload, was '"
                    + copy + "'");
        }
    }

    /** Parses {@code config}, honouring {@value #EMULATOR_HOST_ENV} from the process environment. */
    public static GcsSettings from(StoreConfig config) {
        return from(config, System.getenv());
    }

    /** Parses {@code config} with an explicit environment (for tests). */
    public static GcsSettings from(StoreConfig config, Map<String, String> env) {
        return new GcsSettings(config, env);
    }

    private static CredentialsMode credentialsMode(String value, boolean hasToken, boolean emulatorEnv) {
        if (value == null || value.isBlank()) {
            return hasToken ? CredentialsMode.ACCESS_TOKEN : emulatorEnv ? CredentialsMode.NONE : CredentialsMode.ADC;
        }
        CredentialsMode mode;
        switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "adc":
                mode = CredentialsMode.ADC;
                break;
            case "none":
                mode = CredentialsMode.NONE;
                break;
            case "access-token":
                mode = CredentialsMode.ACCESS_TOKEN;
                break;
            default:
                throw new IllegalArgumentException("setting " + CREDENTIALS + " must be adc, none or access-token");
        }
        if ((mode == CredentialsMode.ACCESS_TOKEN) != hasToken) {
            throw new IllegalArgumentException("setting " + CREDENTIALS + "=" + mode.name().toLowerCase(java.util.Locale.ROOT)
                    + (hasToken ? " conflicts with " + ACCESS_TOKEN + " being set" : " requires " + ACCESS_TOKEN));
        }
        return mode;
    }

    private static String checkEndpoint(String source, String value) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " is not a valid URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(source + " must be an http(s) URL with a host, such as http://127.0.0.1:4443");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // Credentials never travel in the endpoint: refuse it without echoing it back.
            throw new IllegalArgumentException(source + " must not contain user info, a query or a fragment");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException(source + " must not contain a path");
        }
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("setting " + key + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    private static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("setting " + key + " must be a positive duration, was " + value);
        }
        return value;
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

    public int retryMaxAttempts() {
        return retryMaxAttempts;
    }

    public Duration retryInitialDelay() {
        return retryInitialDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    public Duration retryTotalTimeout() {
        return retryTotalTimeout;
    }

    public int deleteBatchSize() {
        return deleteBatchSize;
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
                + ", credentials=" + credentials.name().toLowerCase(java.util.Locale.ROOT) + ", retry.maxAttempts="
                + retryMaxAttempts + ", deleteBatchSize=" + deleteBatchSize
                + (createOnlyCopy == CreateOnlyCopy.REWRITE ? "" : ", createOnlyCopy=download-upload") + "}";
    }
}
