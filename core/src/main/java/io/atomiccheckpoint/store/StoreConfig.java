package io.atomiccheckpoint.store;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * String settings handed to an {@link ObjectStoreProvider}: endpoints, regions, credentials, tuning. Keys are
 * namespaced by store ({@code s3.endpoint}, {@code gcs.project}, {@code azure.account}, {@code fs.fsync}).
 *
 * <p>Values may be secrets, so {@link #toString()} prints only the keys.
 */
public final class StoreConfig {
    private static final StoreConfig EMPTY = new StoreConfig(Collections.emptyMap());

    private final Map<String, String> values;

    private StoreConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** No settings: every store falls back to its SDK's defaults (credential chains, endpoints). */
    public static StoreConfig empty() {
        return EMPTY;
    }

    public static StoreConfig of(Map<String, String> values) {
        return new StoreConfig(values);
    }

    /** A copy with one more setting. */
    public StoreConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new StoreConfig(copy);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be an integer", e);
        }
    }

    public long getLong(String key, long defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be an integer", e);
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("setting " + key + " must be true or false");
    }

    /** A duration written as ISO-8601 ({@code PT30S}) or as whole milliseconds. */
    public Duration getDuration(String key, Duration defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return v.trim().startsWith("P") ? Duration.parse(v.trim()) : Duration.ofMillis(Long.parseLong(v.trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting " + key + " must be an ISO-8601 duration or milliseconds", e);
        }
    }

    /** Every setting; for providers that forward them to an SDK. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return "StoreConfig" + values.keySet();
    }
}
