package io.atomiccheckpoint.s3.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * An SDK {@link ExecutionInterceptor} that records every HTTP attempt the client transmits: the operation
 * (request class) and its {@code If-None-Match} header. Lets tests check what went over the wire where the
 * server's answer alone cannot show it.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {
    /** One transmitted attempt. */
    public static final class Sent {
        public final String operation;
        public final String key;
        public final Optional<String> ifNoneMatch;

        Sent(String operation, String key, Optional<String> ifNoneMatch) {
            this.operation = operation;
            this.key = key;
            this.ifNoneMatch = ifNoneMatch;
        }

        @Override
        public String toString() {
            return operation + " " + key + ifNoneMatch.map(v -> " If-None-Match: " + v).orElse("");
        }
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
        String key = context.request().getValueForField("Key", String.class).orElse("");
        synchronized (sent) {
            sent.add(new Sent(operation, key, context.httpRequest().firstMatchingHeader("If-None-Match")));
        }
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

    public void clear() {
        synchronized (sent) {
            sent.clear();
        }
    }
}
