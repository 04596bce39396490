package io.atomiccheckpoint.azure;

/**
 * Stands in for an SDK exception as the cause of a {@code StoreException}: same class name, stack trace and
 * cause chain, but with every message passed through the {@link SecretRedactor}, because service error
 * messages can echo signatures and request URLs can carry SAS tokens.
 */
public final class RedactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String originalClass;

    private RedactedException(String originalClass, String message, Throwable cause) {
        super(originalClass + ": " + message, cause);
        this.originalClass = originalClass;
    }

    static RedactedException of(Throwable original, SecretRedactor redactor) {
        return copy(original, redactor, 0);
    }

    private static RedactedException copy(Throwable t, SecretRedactor redactor, int depth) {
        Throwable cause = t.getCause();
        RedactedException redactedCause = cause == null || cause == t || depth > 16 ? null
                : copy(cause, redactor, depth + 1);
        RedactedException copy = new RedactedException(t.getClass().getName(), redactor.redact(t.getMessage()),
                redactedCause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** The fully qualified class name of the exception this one replaces. */
    public String originalClass() {
        return originalClass;
    }
}
