package io.atomiccheckpoint.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing: the objects on it in key order, for delimited listings the "directories"
 * (common prefixes, full keys ending in {@code /}), and the token of the next page if there is one.
 */
public final class ListPage {
    private final List<ObjectInfo> objects;
    private final List<String> directories;
    private final String nextPageToken;

    public ListPage(List<ObjectInfo> objects, List<String> directories, String nextPageToken) {
        this.objects = List.copyOf(objects);
        this.directories = List.copyOf(directories);
        this.nextPageToken = nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken;
    }

    public List<ObjectInfo> objects() {
        return objects;
    }

    public List<String> directories() {
        return directories;
    }

    /** The token that fetches the next page; empty on the last page. */
    public Optional<String> nextPageToken() {
        return Optional.ofNullable(nextPageToken);
    }
}
