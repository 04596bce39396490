package io.atomiccheckpoint.location;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, validated name of a place in a store: a scheme, a bucket (or Azure container), for Azure an
 * optional account, and a key. The key never starts or ends with {@code /}; the empty key names the bucket
 * root. A location is a name only: creating one does no I/O.
 *
 * <p>Parsing is strict. Empty segments, {@code .} and {@code ..} segments, backslashes, control characters,
 * percent-encoded separators or dots, query strings and bucket names the cloud forbids are all rejected with
 * an {@link InvalidLocationException} naming the rule; the input is never normalised into another location.
 *
 * <p>Keys in {@code gs://}, {@code s3://} and {@code az://} locations are taken literally, as {@code gsutil}
 * and the AWS CLI do; {@code file:} and {@code https:} locations are URIs and are percent-decoded.
 */
public final class Location implements Comparable<Location> {
    /** Longest key, in UTF-8 bytes, that GCS, S3 and Azure all accept. */
    public static final int MAX_CLOUD_KEY_BYTES = 1024;
    /** Longest path accepted for local files (Linux PATH_MAX). */
    public static final int MAX_FILE_KEY_BYTES = 4096;

    private static final String AZURE_HOST_SUFFIX = ".blob.core.windows.net";

    private final Scheme scheme;
    private final String bucket;
    private final String account;
    private final String key;

    private Location(Scheme scheme, String bucket, String account, String key) {
        this.scheme = scheme;
        this.bucket = bucket;
        this.account = account;
        this.key = key;
    }

    /**
     * Parses {@code file:///abs/path}, {@code gs://bucket/key}, {@code s3://bucket/key},
     * {@code az://container/key} or {@code https://account.blob.core.windows.net/container/key}.
     *
     * @throws InvalidLocationException naming the input and the rule it broke
     */
    public static Location parse(String input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidLocationException(input, "a location is required");
        }
        for (int i = 0; i < input.length(); i++) {
            if (Character.isISOControl(input.charAt(i))) {
                throw new InvalidLocationException(input,
                        String.format("control character U+%04X at index %d", (int) input.charAt(i), i));
            }
        }
        int sep = input.indexOf("://");
        if (sep <= 0) {
            throw new InvalidLocationException(input,
                    "expected scheme://..., one of file:///, gs://, s3://, az:// or https://<account>"
                            + AZURE_HOST_SUFFIX + "/");
        }
        if (input.indexOf('?') >= 0 || input.indexOf('#') >= 0) {
            throw new InvalidLocationException(input,
                    "query strings and fragments are not allowed (credentials such as SAS tokens belong in the"
                            + " store configuration, not in a location)");
        }
        String schemeText = input.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = input.substring(sep + 3);
        if (schemeText.equals("https")) {
            return parseAzureUrl(input, rest);
        }
        Scheme scheme = Scheme.fromUriScheme(schemeText);
        if (scheme == null) {
            throw new InvalidLocationException(input, "unsupported scheme '" + schemeText
                    + "'; expected file, gs, s3, az, mem or https (Azure Blob Storage)");
        }
        if (scheme == Scheme.FILE) {
            if (!rest.startsWith("/")) {
                String host = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
                if (!host.equals("localhost")) {
                    throw new InvalidLocationException(input,
                            "file locations must be absolute and local: file:///path (host '" + host + "' given)");
                }
                rest = rest.substring(host.length());
            }
            String path = percentDecode(input, rest);
            return new Location(Scheme.FILE, "", null, checkKey(input, Scheme.FILE, stripSlashes(input, path)));
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String rawKey = slash < 0 ? "" : rest.substring(slash + 1);
        checkBucket(input, scheme, bucket);
        rejectEncodedTraversal(input, rawKey);
        return new Location(scheme, bucket, null, checkKey(input, scheme, trimTrailingSlash(input, rawKey)));
    }

    /** The location of an absolute local path. */
    public static Location of(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String text = absolute.toString().replace('\\', '/');
        if (!text.startsWith("/")) {
            throw new InvalidLocationException(text, "not an absolute POSIX path");
        }
        return new Location(Scheme.FILE, "", null, checkKey(text, Scheme.FILE, stripSlashes(text, text)));
    }

    /** The root of an Azure container when the account comes from the store's configuration. */
    public static Location azure(String account, String container, String key) {
        String input = "https://" + account + AZURE_HOST_SUFFIX + "/" + container + "/" + key;
        String problem = BucketNames.azureAccountProblem(account);
        if (problem != null) {
            throw new InvalidLocationException(input, problem);
        }
        checkBucket(input, Scheme.AZURE, container);
        return new Location(Scheme.AZURE, container, account, checkKey(input, Scheme.AZURE, trimTrailingSlash(input, key)));
    }

    private static Location parseAzureUrl(String input, String rest) {
        int slash = rest.indexOf('/');
        String host = (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
        if (!host.endsWith(AZURE_HOST_SUFFIX)) {
            throw new InvalidLocationException(input, "https locations must name Azure Blob Storage: https://<account>"
                    + AZURE_HOST_SUFFIX + "/<container>/<key> (host '" + host + "' given)");
        }
        String account = host.substring(0, host.length() - AZURE_HOST_SUFFIX.length());
        String problem = BucketNames.azureAccountProblem(account);
        if (problem != null) {
            throw new InvalidLocationException(input, problem);
        }
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int keyStart = path.indexOf('/');
        String container = keyStart < 0 ? path : path.substring(0, keyStart);
        if (container.isEmpty()) {
            throw new InvalidLocationException(input, "no container: expected https://<account>"
                    + AZURE_HOST_SUFFIX + "/<container>/<key>");
        }
        checkBucket(input, Scheme.AZURE, container);
        String rawKey = keyStart < 0 ? "" : path.substring(keyStart + 1);
        String key = percentDecode(input, rawKey);
        return new Location(Scheme.AZURE, container, account, checkKey(input, Scheme.AZURE, trimTrailingSlash(input, key)));
    }

    private static void checkBucket(String input, Scheme scheme, String bucket) {
        String noun = scheme == Scheme.AZURE ? "container" : "bucket";
        if (bucket.isEmpty()) {
            throw new InvalidLocationException(input, "no " + noun + ": expected " + scheme.uriScheme() + "://<" + noun
                    + ">/<key>");
        }
        String problem = BucketNames.problem(scheme, bucket);
        if (problem != null) {
            throw new InvalidLocationException(input, problem);
        }
    }

    private static void rejectEncodedTraversal(String input, String rawKey) {
        String lower = rawKey.toLowerCase(Locale.ROOT);
        for (String encoded : new String[] {"%2e", "%2f", "%5c"}) {
            if (lower.contains(encoded)) {
                throw new InvalidLocationException(input, "percent-encoded '.', '/' or '\\' (" + encoded
                        + ") in the key; keys are taken literally, so encoded traversal is refused");
            }
        }
    }

    private static String stripSlashes(String input, String path) {
        if (!path.startsWith("/")) {
            throw new InvalidLocationException(input, "file locations must be absolute");
        }
        return trimTrailingSlash(input, path.substring(1));
    }

    private static String trimTrailingSlash(String input, String key) {
        if (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
            if (key.endsWith("/")) {
                throw new InvalidLocationException(input, "empty path segment ('//') at the end of the key");
            }
        }
        return key;
    }

    /** Validates a whole key: each segment must be a valid relative name segment, and the key must fit. */
    private static String checkKey(String input, Scheme scheme, String key) {
        if (key.isEmpty()) {
            return key;
        }
        if (key.startsWith("/")) {
            throw new InvalidLocationException(input, "empty path segment ('//') after the bucket");
        }
        for (String segment : key.split("/", -1)) {
            checkSegment(input, segment);
        }
        int max = scheme == Scheme.FILE ? MAX_FILE_KEY_BYTES : MAX_CLOUD_KEY_BYTES;
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max) {
            throw new InvalidLocationException(input, "key is " + bytes + " bytes in UTF-8; at most " + max
                    + " are allowed");
        }
        return key;
    }

    private static void checkSegment(String input, String segment) {
        if (segment.isEmpty()) {
            throw new InvalidLocationException(input, "empty path segment ('//')");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new InvalidLocationException(input, "'" + segment + "' path segments are not allowed");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\') {
                throw new InvalidLocationException(input, "backslash in path segment '" + segment + "'");
            }
            if (Character.isISOControl(c)) {
                throw new InvalidLocationException(input, String.format("control character U+%04X", (int) c));
            }
        }
    }

    private static String percentDecode(String input, String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                continue;
            }
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                    || Character.digit(s.charAt(i + 2), 16) < 0) {
                throw new InvalidLocationException(input, "malformed percent escape at index " + i);
            }
            int value = Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16);
            if (value == '/' || value == '\\') {
                throw new InvalidLocationException(input, "percent-encoded separator (" + s.substring(i, i + 3)
                        + ") is refused");
            }
            out.write(value);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The storage system this location names. */
    public Scheme scheme() {
        return scheme;
    }

    /** The bucket or Azure container; empty for {@code file:} locations. */
    public String bucket() {
        return bucket;
    }

    /** The Azure storage account when the location named it ({@code https://} form). */
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** The key within the bucket, without leading or trailing slash; empty for the bucket root. */
    public String key() {
        return key;
    }

    /** True for the bucket root (or the filesystem root). */
    public boolean isRoot() {
        return key.isEmpty();
    }

    /** The last key segment; empty for the root. */
    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** The key prefix shared by every object below this location: the key plus {@code /}, or empty at the root. */
    public String prefix() {
        return key.isEmpty() ? "" : key + "/";
    }

    /** The parent location, or empty at the root. */
    public Optional<Location> parent() {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        int slash = key.lastIndexOf('/');
        return Optional.of(new Location(scheme, bucket, account, slash < 0 ? "" : key.substring(0, slash)));
    }

    /**
     * A location below this one. {@code relativeName} is one or more {@code /}-separated segments; it may not
     * be absolute, empty, or contain {@code .}, {@code ..}, empty segments, backslashes or control characters,
     * so the result is always inside this location.
     *
     * @throws InvalidLocationException if the name would escape or is malformed
     */
    public Location resolve(String relativeName) {
        String where = toString() + " + '" + relativeName + "'";
        if (relativeName == null || relativeName.isEmpty()) {
            throw new InvalidLocationException(where, "a relative name is required");
        }
        if (relativeName.startsWith("/")) {
            throw new InvalidLocationException(where, "relative name may not be absolute");
        }
        for (String segment : relativeName.split("/", -1)) {
            checkSegment(where, segment);
        }
        String newKey = key.isEmpty() ? relativeName : key + "/" + relativeName;
        return new Location(scheme, bucket, account, checkKey(where, scheme, newKey));
    }

    /** A location with the same parent and another final segment. */
    public Location sibling(String name) {
        if (name.contains("/")) {
            throw new InvalidLocationException(name, "a sibling name is a single segment");
        }
        return parent().orElseThrow(() -> new InvalidLocationException(toString(), "the root has no siblings"))
                .resolve(name);
    }

    /**
     * The location of a key exactly as a store listed it, in the same bucket. Listed keys are not
     * re-validated (they already exist); use it only to address objects a listing returned.
     */
    public Location sameBucket(String listedKey) {
        Objects.requireNonNull(listedKey, "listedKey");
        return new Location(scheme, bucket, account, listedKey);
    }

    /** True when {@code other} is strictly below this location in the same bucket. */
    public boolean contains(Location other) {
        return sameBucketAs(other) && other.key.startsWith(prefix()) && other.key.length() > prefix().length();
    }

    /** True when {@code other} has the same scheme, account and bucket. */
    public boolean sameBucketAs(Location other) {
        return scheme == other.scheme && bucket.equals(other.bucket) && Objects.equals(account, other.account);
    }

    /** The relative name of a key below this location, or empty if the key is not below it. */
    public Optional<String> relativeKey(String fullKey) {
        String p = prefix();
        if (fullKey.startsWith(p) && fullKey.length() > p.length()) {
            return Optional.of(fullKey.substring(p.length()));
        }
        return Optional.empty();
    }

    /** The local path of a {@code file:} location. */
    public Path toPath() {
        if (scheme != Scheme.FILE) {
            throw new UnsupportedOperationException(this + " is not a local file location");
        }
        return Path.of("/" + key);
    }

    @Override
    public String toString() {
        switch (scheme) {
            case FILE:
                return "file:///" + key;
            case AZURE:
                if (account != null) {
                    return "https://" + account + AZURE_HOST_SUFFIX + "/" + bucket + "/" + encodePath(key);
                }
                return "az://" + bucket + "/" + key;
            default:
                return scheme.uriScheme() + "://" + bucket + "/" + key;
        }
    }

    private static String encodePath(String key) {
        StringBuilder out = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Location)) {
            return false;
        }
        Location other = (Location) o;
        return sameBucketAs(other) && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, bucket, account, key);
    }

    @Override
    public int compareTo(Location o) {
        return toString().compareTo(o.toString());
    }
}
