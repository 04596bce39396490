package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;

/**
 * The server behind a bucket ignores {@code If-None-Match: *} for the request a create-only write or copy
 * needs, so the exactly-once guarantee of the commit marker cannot hold there. Thrown before anything is
 * written, unless the user opted into {@code s3.unsafe.allowUnconditionalWrites=true}.
 */
public class ConditionalWritesNotEnforcedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ConditionalWritesNotEnforcedException(String operation, Location location, String request,
            ConditionalWriteSupport support) {
        super(operation, location, "the S3 server does not enforce If-None-Match: * on " + request + " in bucket "
                + location.bucket() + " (" + support + "); a create-only write there could silently overwrite a"
                + " commit marker. Use a server that enforces conditional writes (Amazon S3 does), or set "
                + S3Settings.UNSAFE_ALLOW_UNCONDITIONAL + "=true to accept a check-then-write that two racing writers"
                + " can both pass");
    }
}
