package io.atomiccheckpoint.store;

import io.atomiccheckpoint.Messages;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One documented store setting: its key, its default, what it means, and how its text is parsed and checked.
 * Each store declares its settings as public constants of this type (see the settings reference,
 * {@code SETTINGS.md}), reads them with {@link #read(StoreConfig)}, and refuses keys it does not know with
 * {@link StoreConfig#requireKnown}.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {
    private final String key;
    private final T defaultValue;
    private final String description;
    private final boolean secret;
    private final Function<String, T> parser;

    private Setting(String key, T defaultValue, String description, boolean secret, Function<String, T> parser) {
        this.key = Objects.requireNonNull(key, "key");
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
        this.secret = secret;
        this.parser = parser;
    }

    /** A free-text setting; {@code defaultValue} may be null for "not set". */
    public static Setting<String> text(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, false, v -> v);
    }

    /** A credential: never printed, not even in errors about its own format. */
    public static Setting<String> secret(String key, String description) {
        return new Setting<>(key, null, description, true, v -> v);
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, false, v -> {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new IllegalArgumentException("must be true or false");
        });
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String key, Integer defaultValue, int min, int max, String description) {
        return new Setting<>(key, defaultValue, description, false, v -> {
            long n = parseLong(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("must be " + min + " to " + max);
            }
            return (int) n;
        });
    }

    /** A whole number of bytes (or anything counted in longs) from {@code min} to {@code max}. */
    public static Setting<Long> longInteger(String key, Long defaultValue, long min, long max, String description) {
        return new Setting<>(key, defaultValue, description, false, v -> {
            long n = parseLong(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("must be " + min + " to " + max);
            }
            return n;
        });
    }

    /** A positive duration, written as ISO-8601 ({@code PT30S}) or as whole milliseconds. */
    public static Setting<Duration> duration(String key, Duration defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, false, v -> {
            Duration d;
            try {
                d = v.startsWith("P") || v.startsWith("p") ? Duration.parse(v) : Duration.ofMillis(Long.parseLong(v));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("must be an ISO-8601 duration such as PT30S, or milliseconds");
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("must be positive");
            }
            return d;
        });
    }

    /** One of an enum's constants, written in lower case with {@code -} for {@code _} ({@code copy-object}). */
    public static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, E defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, false, v -> {
            for (E e : type.getEnumConstants()) {
                if (spelling(e).equals(v.toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            StringBuilder allowed = new StringBuilder();
            for (E e : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(spelling(e));
            }
            throw new IllegalArgumentException("must be one of " + allowed);
        });
    }

    /** How an enum constant is written in settings. */
    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static long parseLong(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
        }
    }

    public String key() {
        return key;
    }

    /** The value used when the key is not set; empty when "not set" has a meaning of its own. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** What the setting means, for the settings reference. */
    public String description() {
        return description;
    }

    /** Whether the value is a credential that must never be printed. */
    public boolean secret() {
        return secret;
    }

    /**
     * The value in {@code config}, parsed and checked, or the default.
     *
     * @throws InvalidSettingException naming the key and the rule, quoting the value unless it is secret
     */
    public T read(StoreConfig config) {
        return readOptional(config).orElse(defaultValue);
    }

    /** The value in {@code config} if it is set there, parsed and checked. */
    public Optional<T> readOptional(StoreConfig config) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String text = raw.get().trim();
        try {
            return Optional.of(parser.apply(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, (secret ? "" : "'" + Messages.quote(text) + "' ") + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
