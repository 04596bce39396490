package io.atomiccheckpoint.azure;

import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Fetches exactly one List Blobs page per call, flat or by hierarchy, resuming from the service's marker. The
 * page size arrives already within {@link #MAX_PAGE}: the {@code Store} facade caps it.
 */
final class BlobLister {
    /** List Blobs returns at most this many entries per page. */
    static final int MAX_PAGE = 5000;

    private BlobLister() {
    }

    static ListPage page(BlobContainerClient container, Location prefix, boolean delimited, String token,
            int pageSize, Deadline deadline) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.prefix()).setMaxResultsPerPage(pageSize);
        Iterable<PagedResponse<BlobItem>> pages = delimited
                ? container.listBlobsByHierarchy("/", options, deadline.remaining()).iterableByPage(token, pageSize)
                : container.listBlobs(options, token, deadline.remaining()).iterableByPage(token, pageSize);
        Iterator<PagedResponse<BlobItem>> it = pages.iterator();
        if (!it.hasNext()) {
            return new ListPage(List.of(), List.of(), null);
        }
        try (PagedResponse<BlobItem> page = it.next()) {
            List<ObjectInfo> objects = new ArrayList<>();
            List<String> directories = new ArrayList<>();
            for (BlobItem item : page.getValue()) {
                if (Boolean.TRUE.equals(item.isPrefix())) {
                    directories.add(item.getName());
                } else {
                    objects.add(BlobObjectInfo.of(item.getName(), item.getProperties()));
                }
            }
            return new ListPage(objects, directories, page.getContinuationToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
