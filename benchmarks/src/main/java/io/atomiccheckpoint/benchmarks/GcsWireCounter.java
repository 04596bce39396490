package io.atomiccheckpoint.benchmarks;

import com.google.api.client.http.javanet.ConnectionFactory;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Counts each HTTP connection the GCS SDK opens, by JSON API operation. The transport hook sees the URL
 * before the method is set, so a metadata GET and a single-object DELETE both count as {@code object}.
 */
final class GcsWireCounter implements ConnectionFactory {
    private final RequestCounts counts;

    GcsWireCounter(RequestCounts counts) {
        this.counts = counts;
    }

    @Override
    public HttpURLConnection openConnection(URL url) throws IOException {
        counts.add(kind(url));
        return (HttpURLConnection) url.openConnection();
    }

    static String kind(URL url) {
        String path = url.getPath();
        String query = url.getQuery() == null ? "" : url.getQuery();
        if (path.contains("/rewriteTo/") || path.contains("/copyTo/")) {
            return "copy";
        }
        if (path.startsWith("/batch")) {
            return "batch";
        }
        if (path.startsWith("/upload")) {
            return "upload";
        }
        if (path.startsWith("/download") || query.contains("alt=media")) {
            return "download";
        }
        if (path.matches(".*/b/[^/]+/o/?")) {
            return "list";
        }
        return path.contains("/o/") ? "object" : "bucket";
    }
}
