package io.atomiccheckpoint.s3;

/**
 * Which create-only ({@code If-None-Match: *}) requests a bucket's server enforces, as the probe observed
 * them (or as assumed with {@code s3.conditionalWrites=trust}). Amazon S3 enforces all three; older
 * S3-compatible servers ignore the header on some or all of them and silently overwrite.
 */
public final class ConditionalWriteSupport {
    /** What Amazon S3 does, assumed without probing. */
    static final ConditionalWriteSupport TRUSTED = new ConditionalWriteSupport(true, true, true, true, false);

    private final boolean putObject;
    private final boolean copyObject;
    private final boolean completeMultipartUpload;
    private final boolean abortKeepsExistingObject;
    private final boolean probed;

    ConditionalWriteSupport(boolean putObject, boolean copyObject, boolean completeMultipartUpload,
            boolean abortKeepsExistingObject, boolean probed) {
        this.putObject = putObject;
        this.copyObject = copyObject;
        this.completeMultipartUpload = completeMultipartUpload;
        this.abortKeepsExistingObject = abortKeepsExistingObject;
        this.probed = probed;
    }

    /** PutObject with {@code If-None-Match: *} onto an existing key fails with 412. */
    public boolean putObject() {
        return putObject;
    }

    /** CopyObject with {@code If-None-Match: *} onto an existing key fails with 412. */
    public boolean copyObject() {
        return copyObject;
    }

    /** CompleteMultipartUpload with {@code If-None-Match: *} onto an existing key fails with 412. */
    public boolean completeMultipartUpload() {
        return completeMultipartUpload;
    }

    /**
     * AbortMultipartUpload of an upload whose key holds an object leaves that object alone, as S3 does. Some
     * emulators delete it; there the store does not abort a create-only upload, so that a refused upload cannot
     * destroy the object that won.
     */
    public boolean abortKeepsExistingObject() {
        return abortKeepsExistingObject;
    }

    /** True when these facts were observed by a probe rather than assumed. */
    public boolean probed() {
        return probed;
    }

    @Override
    public String toString() {
        return "ConditionalWriteSupport{PutObject=" + putObject + ", CopyObject=" + copyObject
                + ", CompleteMultipartUpload=" + completeMultipartUpload
                + (abortKeepsExistingObject ? "" : ", AbortMultipartUpload DELETES the existing object") + (probed ? ", probed" : ", assumed") + "}";
    }
}
