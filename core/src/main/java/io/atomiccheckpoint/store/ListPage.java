package io.atomiccheckpoint.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing: the objects on it in key order, for delimited listings the "directories"
 * (common prefixes, full keys ending in {@code /}), and the token of the next page if there is one. The listed
 * directory's own placeholder (a zero-byte object named {@code prefix/}, as cloud consoles, Hadoop connectors and
 * gcsfs make for "folders") is not one of the objects: {@link Store#listPage} moves it to {@link #placeholder()}.
 */
public final class ListPage {
    private final List<ObjectInfo> objects;
    private final List<String> directories;
    private final String nextPageToken;
    private final ObjectInfo placeholder;

    public ListPage(List<ObjectInfo> objects, List<String> directories, String nextPageToken) {
        this(objects, directories, nextPageToken, null);
    }

    ListPage(List<ObjectInfo> objects, List<String> directories, String nextPageToken, ObjectInfo placeholder) {
        this.objects = List.copyOf(objects);
        this.directories = List.copyOf(directories);
        this.nextPageToken = nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken;
        this.placeholder = placeholder;
    }

    /**
     * The zero-byte object named like the listed directory itself ({@code prefix/}), if this page held it. It
     * belongs to no checkpoint; only a deletion of the whole prefix removes it.
     */
    public Optional<ObjectInfo> placeholder() {
        return Optional.ofNullable(placeholder);
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
