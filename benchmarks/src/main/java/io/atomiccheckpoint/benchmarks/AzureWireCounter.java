package io.atomiccheckpoint.benchmarks;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

/** Counts each HTTP try the Azure SDK sends, by Blob REST operation. */
final class AzureWireCounter implements HttpPipelinePolicy {
    private static final HttpHeaderName COPY_SOURCE = HttpHeaderName.fromString("x-ms-copy-source");
    /** Set by the batch client on the sub-requests it serialises into one batch body; they are not sent alone. */
    private static final String BATCH_ENTRY = "Batch-Operation-Info";

    private final RequestCounts counts;

    AzureWireCounter(RequestCounts counts) {
        this.counts = counts;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        count(context);
        return next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        count(context);
        return next.processSync();
    }

    private void count(HttpPipelineCallContext context) {
        String kind = kind(context.getHttpRequest());
        if (kind.equals("batch") || context.getData(BATCH_ENTRY).isEmpty()) {
            counts.add(kind);
        }
    }

    static String kind(HttpRequest request) {
        String query = request.getUrl().getQuery() == null ? "" : request.getUrl().getQuery();
        switch (request.getHttpMethod()) {
            case HEAD:
                return "head";
            case GET:
                return query.contains("comp=list") ? "list" : "get";
            case PUT:
                return request.getHeaders().getValue(COPY_SOURCE) != null ? "copy" : "put";
            case POST:
                return query.contains("comp=batch") ? "batch" : "post";
            case DELETE:
                return "delete";
            default:
                return request.getHttpMethod().toString().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
