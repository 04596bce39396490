package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.location.Location;

/**
 * An opt-in ability for stores whose multi-request writes stay pending, invisible and completable, until a last
 * request completes them (S3 multipart uploads and copies). A writer stopped between its part copies and its
 * completion could otherwise complete an object into a final location long after a newer attempt took it over:
 * a multipart copy checks its pinned source at each part, not at completion. The commit protocol's
 * {@code create()} aborts the uploads pending below the final location after it deleted the older attempts'
 * sources, so such a completion meets NoSuchUpload, and one started later cannot copy its parts.
 */
public interface SupportsPendingUploads {
    /**
     * Aborts every upload pending below {@code prefix} ({@code key + "/"}) and returns how many, listing them
     * one page at a time. An upload that completes or is aborted meanwhile is skipped.
     */
    long abortPendingUploads(Location prefix);
}
