package io.atomiccheckpoint.s3;

/**
 * Which conditional requests a bucket's server enforces, as the probe observed them (or as assumed with
 * {@code s3.conditionalWrites=trust}). Amazon S3 enforces all of them; S3-compatible servers and emulators
 * ignore some headers and then silently overwrite, or copy and read whatever is there.
 *
 * @param putObject PutObject with {@code If-None-Match: *} onto an existing key fails with 412
 * @param copyObject CopyObject with {@code If-None-Match: *} onto an existing key fails with 412
 * @param completeMultipartUpload CompleteMultipartUpload with {@code If-None-Match: *} onto an existing key fails
 * @param putObjectIfMatch PutObject with {@code If-Match} of another ETag fails with 412 (updates)
 * @param completeMultipartUploadIfMatch CompleteMultipartUpload with {@code If-Match} of another ETag fails
 * @param copyObjectSourceIfMatch CopyObject with {@code x-amz-copy-source-if-match} of another ETag fails (pinned copies)
 * @param uploadPartCopySourceIfMatch UploadPartCopy with {@code x-amz-copy-source-if-match} of another ETag fails
 * @param getIfMatch GetObject and HeadObject with {@code If-Match} of another ETag fail (pinned reads)
 * @param abortKeepsExistingObject AbortMultipartUpload of an upload whose key holds an object leaves that object
 *     alone, as S3 does. Some emulators delete it; there the store does not abort refused or failed uploads onto
 *     a key that may hold an object, so that a refused upload cannot destroy the object that won.
 * @param deleteObjectsETag DeleteObjects keeps an object whose {@code ETag} element names another version (pinned
 *     deletes); where it does not, the store offers no pinned deletes for the bucket
 * @param probed true when these facts were observed by a probe rather than assumed
 */
public record ConditionalWriteSupport(boolean putObject, boolean copyObject, boolean completeMultipartUpload,
        boolean putObjectIfMatch, boolean completeMultipartUploadIfMatch, boolean copyObjectSourceIfMatch,
        boolean uploadPartCopySourceIfMatch, boolean getIfMatch, boolean abortKeepsExistingObject,
        boolean deleteObjectsETag, boolean probed) {

    /** What Amazon S3 does, assumed without probing. */
    static final ConditionalWriteSupport TRUSTED = new ConditionalWriteSupport(true, true, true, true, true, true, true,
            true, true, true, false);

    /** Whether every condition is enforced. */
    public boolean enforcesEverything() {
        return putObject && copyObject && completeMultipartUpload && putObjectIfMatch && completeMultipartUploadIfMatch
                && copyObjectSourceIfMatch && uploadPartCopySourceIfMatch && getIfMatch;
    }

    @Override
    public String toString() {
        return "ConditionalWriteSupport{If-None-Match: PutObject=" + putObject + ", CopyObject=" + copyObject
                + ", CompleteMultipartUpload=" + completeMultipartUpload + "; If-Match: PutObject=" + putObjectIfMatch
                + ", CompleteMultipartUpload=" + completeMultipartUploadIfMatch + ", GetObject=" + getIfMatch
                + "; x-amz-copy-source-if-match: CopyObject=" + copyObjectSourceIfMatch + ", UploadPartCopy="
                + uploadPartCopySourceIfMatch + (abortKeepsExistingObject ? "" : "; AbortMultipartUpload DELETES the"
                + " existing object") + "; DeleteObjects ETag=" + deleteObjectsETag
                + (probed ? "; probed" : "; assumed") + "}";
    }
}
