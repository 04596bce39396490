package io.atomiccheckpoint.s3.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.Delete;

/**
 * An SDK {@link ExecutionInterceptor} that records every HTTP attempt the client transmits: the operation
 * (request class), the key and the request headers, so that tests can check what went over the wire (the
 * conditional headers above all) where the server's answer alone cannot show it. Credentials
 * ({@code Authorization}, {@code X-Amz-Security-Token}) are not recorded.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {
    /** Recorded attempts kept at most; the oldest go first, so a long test run cannot exhaust memory. */
    private static final int MAX_RECORDED = 200_000;

    /** One transmitted attempt. */
    public static final class Sent {
        public final String operation;
        public final String key;
        public final Optional<String> ifNoneMatch;
        /** For a DeleteObjects request: each key's {@code ETag} element, or "" where there is none. */
        public final Map<String, String> deleteETags;
        private final Map<String, String> headers;

        Sent(String operation, String key, Map<String, String> headers, Map<String, String> deleteETags) {
            this.operation = operation;
            this.key = key;
            this.headers = headers;
            this.deleteETags = deleteETags;
            this.ifNoneMatch = header("If-None-Match");
        }

        /** A request header's first value, by case-insensitive name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public String toString() {
            return operation + " " + key + " " + headers.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("if-") || e.getKey().startsWith("x-amz-copy-source")
                            || e.getKey().equals("range"))
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
        String key = context.request().getValueForField("Key", String.class)
                .or(() -> context.request().getValueForField("DestinationKey", String.class)).orElse("");
        Map<String, String> headers = new TreeMap<>();
        context.httpRequest().headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("authorization") && !lower.equals("x-amz-security-token") && !values.isEmpty()) {
                headers.put(lower, values.get(0));
            }
        });
        synchronized (sent) {
            if (sent.size() >= MAX_RECORDED) {
                sent.subList(0, MAX_RECORDED / 2).clear();
            }
            sent.add(new Sent(operation, key, headers, deleteETags(context)));
        }
    }

    private static Map<String, String> deleteETags(Context.BeforeTransmission context) {
        Map<String, String> etags = new TreeMap<>();
        context.request().getValueForField("Delete", Delete.class).ifPresent(d -> d.objects()
                .forEach(o -> etags.put(o.key(), o.eTag() == null ? "" : o.eTag())));
        return etags;
    }

    /** Everything sent so far. */
    public List<Sent> sent() {
        synchronized (sent) {
            return new ArrayList<>(sent);
        }
    }

    /** The attempts of one operation (for example {@code CopyObject}). */
    public List<Sent> sent(String operation) {
        return sent().stream().filter(s -> s.operation.equals(operation)).collect(Collectors.toList());
    }

    /** The attempts of one operation on keys below {@code prefix}. */
    public List<Sent> sent(String operation, String prefix) {
        return sent(operation).stream().filter(s -> s.key.startsWith(prefix)).collect(Collectors.toList());
    }

    public void clear() {
        synchronized (sent) {
            sent.clear();
        }
    }
}
