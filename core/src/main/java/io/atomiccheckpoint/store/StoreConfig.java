package io.atomiccheckpoint.store;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * String settings handed to an {@link io.atomiccheckpoint.spi.ObjectStoreProvider}: endpoints, regions,
 * credentials, tuning. Keys are namespaced by store ({@code s3.endpoint}, {@code gcs.project},
 * {@code azure.account}, {@code fs.fsync}); each store declares its keys as {@link Setting} constants and
 * refuses unknown keys under its prefix.
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

    /** A copy with one more setting. */
    public <T> StoreConfig with(Setting<T> setting, String value) {
        return with(setting.key(), value);
    }

    /** The raw text of a key, if set; stores read typed values through {@link Setting#read}. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * Refuses any key that starts with {@code prefix + "."} and is not one of {@code known}, so a misspelt
     * setting fails loudly instead of being ignored.
     *
     * @throws InvalidSettingException naming the first unknown key and the known ones
     */
    public void requireKnown(String prefix, Collection<? extends Setting<?>> known) {
        Set<String> names = new TreeSet<>();
        for (Setting<?> s : known) {
            names.add(s.key());
        }
        for (String key : values.keySet()) {
            if (key.startsWith(prefix + ".") && !names.contains(key)) {
                throw new InvalidSettingException(key, "unknown " + prefix + " setting; the known ones are "
                        + names);
            }
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
