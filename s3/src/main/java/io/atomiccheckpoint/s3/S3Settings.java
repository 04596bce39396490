package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.store.CommonSettings;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.Setting;
import io.atomiccheckpoint.store.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code s3.*} settings of an {@link S3ObjectStore}: every key is a {@link Setting} constant below, with its
 * default and meaning, and {@link #SETTINGS} lists them all. Values are parsed only through {@link Setting#read},
 * once, when the store is opened, so a mistyped key or an out-of-range value fails then, naming the key; unknown
 * {@code s3.*} keys are refused. Credentials are {@link Setting#secret} settings: never printed, not even in
 * errors about their own format.
 */
public final class S3Settings {
    static final long MIB = 1024L * 1024;
    /** Smallest part S3 accepts for every part but the last. */
    static final long MIN_PART = 5 * MIB;
    /** Largest single PUT, single CopyObject and single part S3 accepts. */
    static final long MAX_SINGLE = 5L * 1024 * MIB;
    /**
     * Request bodies from this size on carry {@code Expect: 100-continue} unless {@code s3.expectContinue=false}:
     * the SDK's default threshold, set explicitly so that the store knows which requests carry it.
     */
    static final long EXPECT_CONTINUE_THRESHOLD = MIB;
    /** Parts are buffered in memory, so they are capped well below the service's 5 GiB. */
    static final long MAX_BUFFERED_PART = 512 * MIB;
    /** S3's limit on keys in one DeleteObjects request. */
    static final int MAX_DELETE_BATCH = 1000;
    /** S3's limit on keys in one ListObjectsV2 page. */
    static final int MAX_LIST_PAGE = 1000;

    /** How the store authenticates. */
    public enum CredentialsMode {
        /** The SDK's default provider chain (environment, system properties, profiles, container and instance roles). */
        DEFAULT,
        /** Unsigned requests: public buckets and emulators. */
        ANONYMOUS,
        /** {@code s3.accessKeyId}, {@code s3.secretAccessKey} and optionally {@code s3.sessionToken}; never printed. */
        STATIC
    }

    /** Whether the SDK adds a checksum to every upload or only where S3 requires one. */
    public enum RequestChecksums {
        /** A CRC32 with every upload (the SDK's default). */
        WHEN_SUPPORTED,
        /** Only where the operation requires one, for servers that reject the SDK's checksum trailers. */
        WHEN_REQUIRED
    }

    /** Whether the store checks, once per bucket, which conditional requests the server enforces. */
    public enum ConditionalWrites {
        /** Trust Amazon S3 (no {@code s3.endpoint}); probe every other server, reached through an endpoint (default). */
        AUTO,
        /** Probe each bucket before its first conditional request, whatever the endpoint. */
        PROBE,
        /** Skip the probe: the server is known to enforce every condition (Amazon S3 itself). */
        TRUST
    }

    /** How a create-only copy ({@code PutMode.CREATE}) of an object up to the multipart threshold is done. */
    public enum CreateOnlyCopy {
        /** CopyObject if the probe saw the server enforce its {@code If-None-Match}, else multipart copy (default). */
        AUTO,
        /**
         * CopyObject with {@code If-None-Match: *}, never a multipart copy. Where the probe saw the server not
         * enforce it, create-only copies are refused like any other unenforced create-only write, unless
         * {@code s3.unsafe.allowUnconditionalWrites=true}.
         */
        COPY_OBJECT,
        /** UploadPartCopy parts, then CompleteMultipartUpload with {@code If-None-Match: *}. */
        MULTIPART_COPY
    }

    /** {@code s3.endpoint}. */
    public static final Setting<String> ENDPOINT = Setting.text("s3.endpoint", null,
            "service URL for S3-compatible stores and emulators, such as http://127.0.0.1:9090; no path, user info,"
                    + " query or fragment; default: Amazon S3's endpoint for the region");
    /** {@code s3.region}. */
    public static final Setting<String> REGION = Setting.text("s3.region", null,
            "the region, such as us-east-1; default: the SDK's region chain (AWS_REGION, profile, instance metadata),"
                    + " and us-east-1 with an endpoint override and no region anywhere");
    /** {@code s3.pathStyle}. */
    public static final Setting<Boolean> PATH_STYLE = Setting.bool("s3.pathStyle", false,
            "path-style addressing (endpoint/bucket/key), which most S3-compatible stores need");
    /** {@code s3.credentials}. */
    public static final Setting<CredentialsMode> CREDENTIALS = Setting.choice("s3.credentials", CredentialsMode.class,
            null, "default (the SDK's credential chain), anonymous, or static (s3.accessKeyId, s3.secretAccessKey and"
                    + " optionally s3.sessionToken); default: static when s3.accessKeyId is set, else default");
    /** {@code s3.accessKeyId}. */
    public static final Setting<String> ACCESS_KEY_ID = Setting.secret("s3.accessKeyId",
            "access key id of static credentials; never printed");
    /** {@code s3.secretAccessKey}. */
    public static final Setting<String> SECRET_ACCESS_KEY = Setting.secret("s3.secretAccessKey",
            "secret access key of static credentials; never printed");
    /** {@code s3.sessionToken}. */
    public static final Setting<String> SESSION_TOKEN = Setting.secret("s3.sessionToken",
            "session token of temporary static credentials; never printed");
    /** {@code s3.maxConcurrency}. */
    public static final Setting<Integer> MAX_CONCURRENCY = Setting.integer("s3.maxConcurrency", 64, 1, 10_000,
            "the most HTTP requests in flight; more wait for a connection");
    /** {@code s3.retry.maxAttempts}: the common retry budget. */
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = CommonSettings.maxAttempts("s3");
    /** {@code s3.timeout.attempt}: the SDK's apiCallAttemptTimeout. */
    public static final Setting<Duration> ATTEMPT_TIMEOUT = CommonSettings.attemptTimeout("s3");
    /** {@code s3.timeout.operation}: the deadline of one store operation, all its requests and retries included. */
    public static final Setting<Duration> OPERATION_TIMEOUT = CommonSettings.operationTimeout("s3");
    /** {@code s3.requestChecksums}. */
    public static final Setting<RequestChecksums> REQUEST_CHECKSUMS = Setting.choice("s3.requestChecksums",
            RequestChecksums.class, RequestChecksums.WHEN_SUPPORTED,
            "when-supported (the SDK sends a CRC32 with every upload) or when-required (for servers that reject the"
                    + " SDK's checksum trailers)");
    /** {@code s3.multipartUploadThresholdBytes}. */
    public static final Setting<Long> MULTIPART_UPLOAD_THRESHOLD = Setting.longInteger(
            "s3.multipartUploadThresholdBytes", 16 * MIB, 0, MAX_BUFFERED_PART,
            "writes larger than this are multipart uploads; one part is buffered at a time");
    /** {@code s3.multipartPartSizeBytes}. */
    public static final Setting<Long> MULTIPART_PART_SIZE = Setting.longInteger("s3.multipartPartSizeBytes", 8 * MIB,
            MIN_PART, MAX_BUFFERED_PART, "part size of multipart uploads (at least 5 MiB, S3's minimum)");
    /** {@code s3.multipartCopyThresholdBytes}. */
    public static final Setting<Long> MULTIPART_COPY_THRESHOLD = Setting.longInteger("s3.multipartCopyThresholdBytes",
            MAX_SINGLE, 0, MAX_SINGLE,
            "copies of larger objects are multipart UploadPartCopy copies (at most 5 GiB, the CopyObject limit)");
    /** {@code s3.multipartCopyPartSizeBytes}. */
    public static final Setting<Long> MULTIPART_COPY_PART_SIZE = Setting.longInteger("s3.multipartCopyPartSizeBytes",
            512 * MIB, MIN_PART, MAX_SINGLE, "part size of multipart copies (5 MiB to 5 GiB)");
    /** {@code s3.deleteBatchSize}. */
    public static final Setting<Integer> DELETE_BATCH_SIZE = Setting.integer("s3.deleteBatchSize", MAX_DELETE_BATCH, 1,
            MAX_DELETE_BATCH, "keys per DeleteObjects request (at most 1000, S3's limit)");
    /** {@code s3.conditionalWrites}. */
    public static final Setting<ConditionalWrites> CONDITIONAL_WRITES = Setting.choice("s3.conditionalWrites",
            ConditionalWrites.class, ConditionalWrites.AUTO,
            "auto (trust Amazon S3, probe any server set with s3.endpoint), probe (find out once per bucket which"
                    + " conditional requests the server enforces, and whether a refused request leaves the object"
                    + " alone) or trust (skip the probe: the server is known to enforce every condition)");
    /** {@code s3.probe.prefix}. */
    public static final Setting<String> PROBE_PREFIX = Setting.text("s3.probe.prefix", ".atomic-checkpoint-probe",
            "where in each bucket the probe writes, and deletes, its small objects; if the principal may not write"
                    + " there, the probe uses this name beside the directory of the object that needed it");
    /** {@code s3.createOnlyCopy}. */
    public static final Setting<CreateOnlyCopy> CREATE_ONLY_COPY = Setting.choice("s3.createOnlyCopy",
            CreateOnlyCopy.class, CreateOnlyCopy.AUTO,
            "auto (CopyObject when the probe saw it enforce If-None-Match, else multipart copy), copy-object (always"
                    + " CopyObject; refused where the probe saw it unenforced, unless"
                    + " s3.unsafe.allowUnconditionalWrites=true) or multipart-copy");
    /** {@code s3.expectContinue}. */
    public static final Setting<Boolean> EXPECT_CONTINUE = Setting.bool("s3.expectContinue", true,
            "send 'Expect: 100-continue' with PutObject and UploadPart bodies (the SDK's default), so that a refusal"
                    + " comes before the body; false for servers that mishandle it");
    /** {@code s3.unsafe.allowUnconditionalWrites}. */
    public static final Setting<Boolean> UNSAFE_ALLOW_UNCONDITIONAL = Setting.bool("s3.unsafe.allowUnconditionalWrites",
            false, "accept a server that ignores If-None-Match: * with a racy check-then-write; exactly-once commit"
                    + " markers are then not guaranteed. Updates, pinned copies and pinned reads are refused there anyway");

    /** Every {@code s3.*} setting; any other {@code s3.*} key is refused. */
    public static final List<Setting<?>> SETTINGS = List.of(ENDPOINT, REGION, PATH_STYLE, CREDENTIALS, ACCESS_KEY_ID,
            SECRET_ACCESS_KEY, SESSION_TOKEN, MAX_CONCURRENCY, RETRY_MAX_ATTEMPTS, ATTEMPT_TIMEOUT, OPERATION_TIMEOUT,
            REQUEST_CHECKSUMS, MULTIPART_UPLOAD_THRESHOLD, MULTIPART_PART_SIZE, MULTIPART_COPY_THRESHOLD,
            MULTIPART_COPY_PART_SIZE, DELETE_BATCH_SIZE, CONDITIONAL_WRITES, PROBE_PREFIX, CREATE_ONLY_COPY,
            EXPECT_CONTINUE, UNSAFE_ALLOW_UNCONDITIONAL);

    private final URI endpoint;
    private final String region;
    private final boolean pathStyle;
    private final CredentialsMode credentials;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final int maxConcurrency;
    private final int retryMaxAttempts;
    private final Duration attemptTimeout;
    private final Duration operationTimeout;
    private final RequestChecksums requestChecksums;
    private final long multipartUploadThreshold;
    private final long multipartPartSize;
    private final long multipartCopyThreshold;
    private final long multipartCopyPartSize;
    private final int deleteBatchSize;
    private final ConditionalWrites conditionalWrites;
    private final CreateOnlyCopy createOnlyCopy;
    private final String probePrefix;
    private final boolean allowUnconditionalWrites;
    private final boolean expectContinue;

    private S3Settings(StoreConfig config) {
        config.requireKnown("s3", SETTINGS);
        this.endpoint = ENDPOINT.readOptional(config).filter(s -> !s.isEmpty()).map(S3Settings::checkEndpoint)
                .orElse(null);
        this.region = REGION.readOptional(config).filter(s -> !s.isEmpty()).orElse(null);
        if (region != null && !region.matches("[a-z0-9-]+")) {
            throw new InvalidSettingException(REGION.key(), "must be a region name such as us-east-1");
        }
        this.pathStyle = PATH_STYLE.read(config);
        this.accessKeyId = nonBlank(config, ACCESS_KEY_ID);
        this.secretAccessKey = nonBlank(config, SECRET_ACCESS_KEY);
        this.sessionToken = nonBlank(config, SESSION_TOKEN);
        this.credentials = credentialsMode(CREDENTIALS.readOptional(config).orElse(null));
        this.maxConcurrency = MAX_CONCURRENCY.read(config);
        this.retryMaxAttempts = RETRY_MAX_ATTEMPTS.read(config);
        this.attemptTimeout = ATTEMPT_TIMEOUT.read(config);
        this.operationTimeout = OPERATION_TIMEOUT.read(config);
        this.requestChecksums = REQUEST_CHECKSUMS.read(config);
        this.multipartUploadThreshold = MULTIPART_UPLOAD_THRESHOLD.read(config);
        this.multipartPartSize = MULTIPART_PART_SIZE.read(config);
        this.multipartCopyThreshold = MULTIPART_COPY_THRESHOLD.read(config);
        this.multipartCopyPartSize = MULTIPART_COPY_PART_SIZE.read(config);
        this.deleteBatchSize = DELETE_BATCH_SIZE.read(config);
        this.conditionalWrites = CONDITIONAL_WRITES.read(config);
        this.createOnlyCopy = CREATE_ONLY_COPY.read(config);
        this.probePrefix = checkProbePrefix(PROBE_PREFIX.read(config));
        this.allowUnconditionalWrites = UNSAFE_ALLOW_UNCONDITIONAL.read(config);
        this.expectContinue = EXPECT_CONTINUE.read(config);
    }

    /**
     * Parses and checks {@code config}.
     *
     * @throws InvalidSettingException naming the first unknown {@code s3.*} key or malformed value
     */
    public static S3Settings from(StoreConfig config) {
        return new S3Settings(config);
    }

    private CredentialsMode credentialsMode(CredentialsMode configured) {
        boolean anyStatic = accessKeyId != null || secretAccessKey != null || sessionToken != null;
        CredentialsMode mode = configured != null ? configured : anyStatic ? CredentialsMode.STATIC : CredentialsMode.DEFAULT;
        if (mode == CredentialsMode.STATIC && (accessKeyId == null || secretAccessKey == null)) {
            throw new InvalidSettingException(CREDENTIALS.key(), "static credentials need both " + ACCESS_KEY_ID
                    + " and " + SECRET_ACCESS_KEY);
        }
        if (mode != CredentialsMode.STATIC && anyStatic) {
            throw new InvalidSettingException(CREDENTIALS.key(), Setting.spelling(mode) + " conflicts with static"
                    + " credentials being set (" + ACCESS_KEY_ID + ", " + SECRET_ACCESS_KEY + ", " + SESSION_TOKEN + ")");
        }
        return mode;
    }

    private static String nonBlank(StoreConfig config, Setting<String> setting) {
        return setting.readOptional(config).filter(s -> !s.isBlank()).orElse(null);
    }

    /** Never echoes the value: an endpoint with user info carries a credential. */
    private static URI checkEndpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(ENDPOINT.key(), "is not a valid URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new InvalidSettingException(ENDPOINT.key(), "must be an http(s) URL with a host, such as"
                    + " http://127.0.0.1:9090");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidSettingException(ENDPOINT.key(), "must not contain user info, a query or a fragment");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new InvalidSettingException(ENDPOINT.key(), "must not contain a path (the store addresses buckets)");
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    private static String checkProbePrefix(String prefix) {
        if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")
                || prefix.contains("..") || prefix.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSettingException(PROBE_PREFIX.key(), "must be a relative key prefix without leading,"
                    + " trailing or doubled '/' and without '..'");
        }
        return prefix;
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
        List<String> out = new ArrayList<>(3);
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

    /** {@code s3.timeout.attempt}. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** {@code s3.timeout.operation}. */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    public RequestChecksums requestChecksums() {
        return requestChecksums;
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

    /**
     * Whether the store assumes every condition enforced without probing: with {@code s3.conditionalWrites=trust},
     * or with {@code auto} when no endpoint override is set (Amazon S3 itself).
     */
    public boolean trustsConditions() {
        return conditionalWrites == ConditionalWrites.TRUST
                || (conditionalWrites == ConditionalWrites.AUTO && endpoint == null);
    }

    /** {@code s3.expectContinue}. */
    public boolean expectContinue() {
        return expectContinue;
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

    /** The non-secret settings; credentials appear only as their mode. */
    @Override
    public String toString() {
        return "S3Settings{endpoint=" + (endpoint == null ? "default" : endpoint) + ", region="
                + (region == null ? "default-chain" : region) + ", pathStyle=" + pathStyle + ", credentials="
                + Setting.spelling(credentials) + ", maxConcurrency=" + maxConcurrency + ", retry.maxAttempts="
                + retryMaxAttempts + ", timeout.attempt=" + attemptTimeout + ", timeout.operation=" + operationTimeout
                + ", conditionalWrites=" + Setting.spelling(conditionalWrites) + (trustsConditions() ? " (trusted)"
                        : " (probed)") + ", createOnlyCopy=" + Setting.spelling(createOnlyCopy)
                + (expectContinue ? "" : ", expectContinue=false")
                + (allowUnconditionalWrites ? ", UNSAFE allowUnconditionalWrites" : "")
                + "}";
    }
}
