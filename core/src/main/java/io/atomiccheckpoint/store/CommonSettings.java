package io.atomiccheckpoint.store;

import java.time.Duration;

/**
 * The settings every cloud store has under its own prefix, with the same names after it: the retry budget and
 * the deadlines. {@code s3.retry.maxAttempts}, {@code gcs.retry.maxAttempts} and {@code azure.retry.maxAttempts}
 * mean the same thing.
 */
public final class CommonSettings {
    /** Attempts per request, the first included (1 = no retries). */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** How long one attempt may take before it is abandoned and retried. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    /** How long one operation may take, every retry and back-off included. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofMinutes(10);

    private CommonSettings() {
    }

    /** {@code <prefix>.retry.maxAttempts}. */
    public static Setting<Integer> maxAttempts(String prefix) {
        return Setting.integer(prefix + ".retry.maxAttempts", DEFAULT_MAX_ATTEMPTS, 1, 100,
                "attempts per request, the first included (1 = no retries); throttling, 5xx and I/O failures are retried");
    }

    /** {@code <prefix>.timeout.attempt}. */
    public static Setting<Duration> attemptTimeout(String prefix) {
        return Setting.duration(prefix + ".timeout.attempt", DEFAULT_ATTEMPT_TIMEOUT,
                "how long one attempt of a request may take before it is abandoned (and retried if attempts are left)");
    }

    /** {@code <prefix>.timeout.operation}. */
    public static Setting<Duration> operationTimeout(String prefix) {
        return Setting.duration(prefix + ".timeout.operation", DEFAULT_OPERATION_TIMEOUT,
                "how long one operation may take in all, retries and back-off included; then it fails with kind TIMEOUT");
    }
}
