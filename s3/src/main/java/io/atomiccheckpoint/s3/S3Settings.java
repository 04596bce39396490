package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.store.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code s3.*} settings of an {@link S3ObjectStore}, parsed and checked once so that a mistyped or
 * out-of-range value fails when the store is opened, naming the key, rather than on the first request. See
 * {@link S3ObjectStore} for what each key means. Secret values are kept package-private and never printed.
 */
public final class S3Settings {
    static final String ENDPOINT = "s3.endpoint";
    static final String REGION = "s3.region";
    static final String PATH_STYLE = "s3.pathStyle";
    static final String CREDENTIALS = "s3.credentials";
    static final String ACCESS_KEY_ID = "s3.accessKeyId";
    static final String SECRET_ACCESS_KEY = "s3.secretAccessKey";
    static final String SESSION_TOKEN = "s3.sessionToken";
    static final String MAX_CONCURRENCY = "s3.maxConcurrency";
    static final String RETRY_MAX_ATTEMPTS = "s3.retry.maxAttempts";
    static final String API_CALL_TIMEOUT = "s3.apiCallTimeout";
    static final String REQUEST_CHECKSUMS = "s3.requestChecksums";
    static final String MULTIPART_UPLOAD_THRESHOLD = "s3.multipartUploadThresholdBytes";
    static final String MULTIPART_PART_SIZE = "s3.multipartPartSizeBytes";
    static final String MULTIPART_COPY_THRESHOLD = "s3.multipartCopyThresholdBytes";
    static final String MULTIPART_COPY_PART_SIZE = "s3.multipartCopyPartSizeBytes";
    static final String DELETE_BATCH_SIZE = "s3.deleteBatchSize";
    static final String CONDITIONAL_WRITES = "s3.conditionalWrites";
    static final String CREATE_ONLY_COPY = "s3.createOnlyCopy";
    static final String PROBE_PREFIX = "s3.probe.prefix";
    static final String UNSAFE_ALLOW_UNCONDITIONAL = "s3.unsafe.allowUnconditionalWrites";

    private static final List<String> KNOWN_KEYS = List.of(ENDPOINT, REGION, PATH_STYLE, CREDENTIALS, ACCESS_KEY_ID,
            SECRET_ACCESS_KEY, SESSION_TOKEN, MAX_CONCURRENCY, RETRY_MAX_ATTEMPTS, API_CALL_TIMEOUT, REQUEST_CHECKSUMS,
            MULTIPART_UPLOAD_THRESHOLD, MULTIPART_PART_SIZE, MULTIPART_COPY_THRESHOLD, MULTIPART_COPY_PART_SIZE,
            DELETE_BATCH_SIZE, CONDITIONAL_WRITES, CREATE_ONLY_COPY, PROBE_PREFIX, UNSAFE_ALLOW_UNCONDITIONAL);

    static final long MIB = 1024L * 1024;
    /** Smallest part S3 accepts for every part but the last. */
    static final long MIN_PART = 5 * MIB;
    /** Largest single PUT, single CopyObject and single part S3 accepts. */
    static final long MAX_SINGLE = 5L * 1024 * MIB;
    /** Parts are buffered in memory, so they are capped well below the service's 5 GiB. */
    static final long MAX_BUFFERED_PART = 512 * MIB;
    /** S3's limit on keys in one DeleteObjects request. */
    static final int MAX_DELETE_BATCH = 1000;

    /** How the store authenticates. */
    public enum CredentialsMode {
        /** The SDK's default provider chain (environment, system properties, profiles, container and instance roles). */
        DEFAULT,
        /** Unsigned requests: public buckets and emulators. */
        ANONYMOUS,
        /** {@code s3.accessKeyId}, {@code s3.secretAccessKey} and optionally {@code s3.sessionToken}; never printed. */
        STATIC
    }

    /** Whether the store checks, once per bucket, that the server enforces {@code If-None-Match: *}. */
    public enum ConditionalWrites {
        /** Probe each bucket before its first create-only write or copy (default). */
        PROBE,
        /** Skip the probe: the server is known to enforce every conditional write (Amazon S3 itself). */
        TRUST
    }

    /** How a create-only copy ({@code WriteMode.CREATE}) of an object up to the multipart threshold is done. */
    public enum CreateOnlyCopy {
        /** CopyObject if the probe saw the server enforce its {@code If-None-Match}, else multipart copy (default). */
        AUTO,
        /** CopyObject with {@code If-None-Match: *} (what Amazon S3 enforces). */
        COPY_OBJECT,
        /** UploadPartCopy parts, then CompleteMultipartUpload with {@code If-None-Match: *}. */
        MULTIPART_COPY
    }

    private final URI endpoint;
    private final String region;
    private final boolean pathStyle;
    private final CredentialsMode credentials;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final int maxConcurrency;
    private final int retryMaxAttempts;
    private final Duration apiCallTimeout;
    private final boolean requestChecksumsWhenRequired;
    private final long multipartUploadThreshold;
    private final long multipartPartSize;
    private final long multipartCopyThreshold;
    private final long multipartCopyPartSize;
    private final int deleteBatchSize;
    private final ConditionalWrites conditionalWrites;
    private final CreateOnlyCopy createOnlyCopy;
    private final String probePrefix;
    private final boolean allowUnconditionalWrites;

    private S3Settings(StoreConfig config) {
        for (String key : config.asMap().keySet()) {
            if (key.startsWith("s3.") && !KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown S3 setting '" + key + "'; known settings: " + KNOWN_KEYS);
            }
        }
        this.endpoint = config.get(ENDPOINT).map(String::trim).filter(s -> !s.isEmpty()).map(S3Settings::checkEndpoint)
                .orElse(null);
        this.region = config.get(REGION).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (region != null && !region.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("setting " + REGION + " must be a region name such as us-east-1");
        }
        this.pathStyle = config.getBoolean(PATH_STYLE, false);
        this.accessKeyId = nonBlank(config, ACCESS_KEY_ID);
        this.secretAccessKey = nonBlank(config, SECRET_ACCESS_KEY);
        this.sessionToken = nonBlank(config, SESSION_TOKEN);
        this.credentials = credentialsMode(config.get(CREDENTIALS).orElse(null));
        this.maxConcurrency = between(MAX_CONCURRENCY, config.getInt(MAX_CONCURRENCY, 64), 1, 10_000);
        this.retryMaxAttempts = between(RETRY_MAX_ATTEMPTS, config.getInt(RETRY_MAX_ATTEMPTS, 5), 1, 100);
        Duration timeout = config.getDuration(API_CALL_TIMEOUT, null);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("setting " + API_CALL_TIMEOUT + " must be a positive duration, was " + timeout);
        }
        this.apiCallTimeout = timeout;
        String checksums = config.get(REQUEST_CHECKSUMS, "when_supported").trim().toLowerCase(Locale.ROOT);
        if (!checksums.equals("when_supported") && !checksums.equals("when_required")) {
            throw new IllegalArgumentException("setting " + REQUEST_CHECKSUMS + " must be when_supported or when_required, was '"
                    + checksums + "'");
        }
        this.requestChecksumsWhenRequired = checksums.equals("when_required");
        this.multipartUploadThreshold = between(MULTIPART_UPLOAD_THRESHOLD,
                config.getLong(MULTIPART_UPLOAD_THRESHOLD, 16 * MIB), 0, MAX_BUFFERED_PART);
        this.multipartPartSize = between(MULTIPART_PART_SIZE, config.getLong(MULTIPART_PART_SIZE, 8 * MIB), MIN_PART,
                MAX_BUFFERED_PART);
        this.multipartCopyThreshold = between(MULTIPART_COPY_THRESHOLD, config.getLong(MULTIPART_COPY_THRESHOLD, MAX_SINGLE),
                0, MAX_SINGLE);
        this.multipartCopyPartSize = between(MULTIPART_COPY_PART_SIZE, config.getLong(MULTIPART_COPY_PART_SIZE, 512 * MIB),
                MIN_PART, MAX_SINGLE);
        this.deleteBatchSize = between(DELETE_BATCH_SIZE, config.getInt(DELETE_BATCH_SIZE, MAX_DELETE_BATCH), 1,
                MAX_DELETE_BATCH);
        this.conditionalWrites = choice(config, CONDITIONAL_WRITES, ConditionalWrites.PROBE, ConditionalWrites.class);
        this.createOnlyCopy = choice(config, CREATE_ONLY_COPY, CreateOnlyCopy.AUTO, CreateOnlyCopy.class);
        this.probePrefix = checkProbePrefix(config.get(PROBE_PREFIX, ".atomic-checkpoint-probe").trim());
        this.allowUnconditionalWrites = config.getBoolean(UNSAFE_ALLOW_UNCONDITIONAL, false);
    }

    /** Parses and checks {@code config}. */
    public static S3Settings from(StoreConfig config) {
        return new S3Settings(config);
    }

    private CredentialsMode credentialsMode(String value) {
        boolean anyStatic = accessKeyId != null || secretAccessKey != null || sessionToken != null;
        CredentialsMode mode;
        if (value == null || value.isBlank()) {
            mode = anyStatic ? CredentialsMode.STATIC : CredentialsMode.DEFAULT;
        } else {
            mode = parseEnum(CREDENTIALS, value, CredentialsMode.class);
        }
        if (mode == CredentialsMode.STATIC && (accessKeyId == null || secretAccessKey == null)) {
            throw new IllegalArgumentException("setting " + CREDENTIALS + "=static requires both " + ACCESS_KEY_ID + " and "
                    + SECRET_ACCESS_KEY);
        }
        if (mode != CredentialsMode.STATIC && anyStatic) {
            throw new IllegalArgumentException("setting " + CREDENTIALS + "=" + mode.name().toLowerCase(Locale.ROOT)
                    + " conflicts with static credentials being set (" + ACCESS_KEY_ID + ", " + SECRET_ACCESS_KEY + ", "
                    + SESSION_TOKEN + ")");
        }
        return mode;
    }

    private static String nonBlank(StoreConfig config, String key) {
        return config.get(key).filter(s -> !s.isBlank()).orElse(null);
    }

    private static <E extends Enum<E>> E choice(StoreConfig config, String key, E defaultValue, Class<E> type) {
        return config.get(key).map(v -> parseEnum(key, v, type)).orElse(defaultValue);
    }

    private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) {
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(normalized)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        // Only enumerated, non-secret settings reach here, so echoing the value is safe.
        throw new IllegalArgumentException("setting " + key + " must be one of " + allowed + ", was '" + value.trim() + "'");
    }

    private static URI checkEndpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ENDPOINT + " is not a valid URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(ENDPOINT + " must be an http(s) URL with a host, such as http://127.0.0.1:9090");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // Credentials never travel in the endpoint: refuse it without echoing it back.
            throw new IllegalArgumentException(ENDPOINT + " must not contain user info, a query or a fragment");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException(ENDPOINT + " must not contain a path (buckets are addressed by the store)");
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    private static String checkProbePrefix(String prefix) {
        if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")
                || prefix.contains("..") || prefix.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("setting " + PROBE_PREFIX + " must be a relative key prefix without leading,"
                    + " trailing or doubled '/' and without '..', was '" + prefix + "'");
        }
        return prefix;
    }

    private static int between(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("setting " + key + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static long between(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("setting " + key + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** The endpoint override for S3-compatible stores, if any. */
    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** The region, if set; otherwise the SDK's region chain decides. */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    public boolean pathStyle() {
        return pathStyle;
    }

    public CredentialsMode credentials() {
        return credentials;
    }

    Optional<String> accessKeyId() {
        return Optional.ofNullable(accessKeyId);
    }

    Optional<String> secretAccessKey() {
        return Optional.ofNullable(secretAccessKey);
    }

    Optional<String> sessionToken() {
        return Optional.ofNullable(sessionToken);
    }

    /** The configured secret strings, so that messages can be scrubbed of them. */
    List<String> secrets() {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(3);
        accessKeyId().ifPresent(out::add);
        secretAccessKey().ifPresent(out::add);
        sessionToken().ifPresent(out::add);
        return out;
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    public int retryMaxAttempts() {
        return retryMaxAttempts;
    }

    public Optional<Duration> apiCallTimeout() {
        return Optional.ofNullable(apiCallTimeout);
    }

    public boolean requestChecksumsWhenRequired() {
        return requestChecksumsWhenRequired;
    }

    public long multipartUploadThreshold() {
        return multipartUploadThreshold;
    }

    public long multipartPartSize() {
        return multipartPartSize;
    }

    public long multipartCopyThreshold() {
        return multipartCopyThreshold;
    }

    public long multipartCopyPartSize() {
        return multipartCopyPartSize;
    }

    public int deleteBatchSize() {
        return deleteBatchSize;
    }

    public ConditionalWrites conditionalWrites() {
        return conditionalWrites;
    }

    public CreateOnlyCopy createOnlyCopy() {
        return createOnlyCopy;
    }

    public String probePrefix() {
        return probePrefix;
    }

    public boolean allowUnconditionalWrites() {
        return allowUnconditionalWrites;
    }

    @Override
    public String toString() {
        return "S3Settings{endpoint=" + (endpoint == null ? "default" : endpoint) + ", region="
                + (region == null ? "default-chain" : region) + ", pathStyle=" + pathStyle + ", credentials="
                + credentials.name().toLowerCase(Locale.ROOT) + ", maxConcurrency=" + maxConcurrency
                + ", retry.maxAttempts=" + retryMaxAttempts + ", conditionalWrites="
                + conditionalWrites.name().toLowerCase(Locale.ROOT)
                + (allowUnconditionalWrites ? ", UNSAFE allowUnconditionalWrites" : "") + "}";
    }
}
