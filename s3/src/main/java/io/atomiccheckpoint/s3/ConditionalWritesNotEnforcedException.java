package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;

/**
 * The server behind a bucket ignores the condition a request needs ({@code If-None-Match: *} for a create-only
 * write or copy, {@code If-Match} for an update or a pinned read, {@code x-amz-copy-source-if-match} for a
 * pinned copy), so the request is refused before anything is sent rather than sent without its condition. Of
 * kind {@link ErrorKind#NOT_SUPPORTED}. Only create-only writes have an opt-out,
 * {@code s3.unsafe.allowUnconditionalWrites=true}. The message is short (messages are capped); {@link #support()}
 * has everything the probe saw.
 */
public class ConditionalWritesNotEnforcedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient ConditionalWriteSupport support;

    public ConditionalWritesNotEnforcedException(String operation, Location location, String condition, String request,
            ConditionalWriteSupport support) {
        super(ErrorKind.NOT_SUPPORTED, operation, location, "the S3 server does not enforce " + condition + " on "
                + request + (condition.startsWith("If-None-Match")
                        ? "; set " + S3Settings.UNSAFE_ALLOW_UNCONDITIONAL + "=true to accept a racy check-then-write"
                        : "; refused rather than sent without its condition")
                + " (Amazon S3 enforces it)");
        this.support = support;
    }

    /** What the probe saw the server enforce. */
    public ConditionalWriteSupport support() {
        return support;
    }
}
