package io.atomiccheckpoint.spi;

import io.atomiccheckpoint.store.DeleteResult;
import io.atomiccheckpoint.store.ObjectVersion;
import java.util.List;

/**
 * An opt-in ability: deletes that the service applies only while each object is still the version a listing
 * reported, checked in the delete request itself. The commit protocol uses it where a writer that was stopped
 * between listing and deleting must not delete a newer writer's object of the same name (a stale
 * {@code create()} removing leftovers from the final location). Stores without it get unconditional deletes
 * there, and the window is named in their documentation.
 *
 * <table>
 *   <caption>The request that carries the condition</caption>
 *   <tr><th>store</th><th>condition</th></tr>
 *   <tr><td>GCS</td><td>{@code ifGenerationMatch} on each delete of the JSON batch</td></tr>
 *   <tr><td>S3</td><td>the {@code ETag} element of each object in DeleteObjects (content-derived: an object of
 *       identical bytes is not told apart)</td></tr>
 *   <tr><td>Azure</td><td>{@code If-Match} on each Delete Blob of the batch</td></tr>
 *   <tr><td>filesystem</td><td>version compare and delete under the file's lock, which every replacement and
 *       delete of the file takes too</td></tr>
 * </table>
 *
 * <p>{@link ForwardingObjectStore} forwards it through its hook when the wrapped store has it.
 */
public interface SupportsConditionalDelete {
    /**
     * Whether the service enforces pinned deletes at {@code location} (its bucket). A store that learns a
     * server's behaviour by probing (S3-compatible servers) answers false where the server ignores the condition;
     * callers then delete unpinned, knowingly, and {@link #deleteIfUnchanged} refuses with
     * {@link io.atomiccheckpoint.ErrorKind#NOT_SUPPORTED} rather than send a condition that would be dropped.
     */
    boolean enforcesPinnedDeletes(io.atomiccheckpoint.location.Location location);

    /**
     * Deletes each object only if it is still the given version, reporting each one's outcome in input order, at
     * most {@link StoreCapabilities#maxDeleteBatchSize()} at once. An object now of another version is kept and
     * reported as failed with {@link io.atomiccheckpoint.ErrorKind#PRECONDITION_FAILED}; a missing object counts
     * as deleted. Throws only if the whole request failed.
     */
    List<DeleteResult> deleteIfUnchanged(List<ObjectVersion> objects);
}
