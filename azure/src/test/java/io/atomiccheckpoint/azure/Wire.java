package io.atomiccheckpoint.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pipeline policies for tests that look at what the store actually sends and at how it reads what comes back:
 * {@link Recorder} keeps every request as the service receives it (placed per retry, after the SDK's own
 * policies have added their headers), {@link Answer} replaces the service's response to chosen requests.
 */
final class Wire {
    private Wire() {
    }

    /** One request as sent: method, URL and the headers that carry conditions and copy sources. */
    record Request(String method, String url, String ifMatch, String ifNoneMatch, String sourceIfMatch,
            String copySource) {
        /** A short form for assertion messages and comparisons: {@code PUT ?comp=blocklist}. */
        String operation() {
            int q = url.indexOf('?');
            String query = q < 0 ? "" : url.substring(q);
            String comp = "";
            for (String p : query.replace("?", "").split("&")) {
                if (p.startsWith("comp=")) {
                    comp = " " + p;
                }
            }
            return method + comp;
        }
    }

    /** Records every request of the pipeline it is added to. */
    static final class Recorder implements HttpPipelinePolicy {
        private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

        @Override
        public HttpPipelinePosition getPipelinePosition() {
            return HttpPipelinePosition.PER_RETRY;
        }

        private void record(HttpRequest r) {
            HttpHeaders h = r.getHeaders();
            requests.add(new Request(r.getHttpMethod().name(), r.getUrl().toString(),
                    h.getValue(HttpHeaderName.IF_MATCH), h.getValue(HttpHeaderName.IF_NONE_MATCH),
                    h.getValue(HttpHeaderName.fromString("x-ms-source-if-match")),
                    h.getValue(HttpHeaderName.fromString("x-ms-copy-source"))));
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            record(context.getHttpRequest());
            return next.process();
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            record(context.getHttpRequest());
            return next.processSync();
        }

        List<Request> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        List<String> operations() {
            return requests().stream().map(Request::operation).collect(Collectors.toList());
        }

        void clear() {
            requests.clear();
        }
    }

    /** Answers the requests that match with a fixed status and {@code x-ms-error-code}, never reaching the service. */
    static final class Answer implements HttpPipelinePolicy {
        private final Predicate<HttpRequest> matching;
        private final int status;
        private final String errorCode;

        Answer(Predicate<HttpRequest> matching, int status, String errorCode) {
            this.matching = matching;
            this.status = status;
            this.errorCode = errorCode;
        }

        @Override
        public HttpPipelinePosition getPipelinePosition() {
            return HttpPipelinePosition.PER_RETRY;
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return matching.test(context.getHttpRequest()) ? Mono.just(answer(context.getHttpRequest()))
                    : next.process();
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            return matching.test(context.getHttpRequest()) ? answer(context.getHttpRequest()) : next.processSync();
        }

        private HttpResponse answer(HttpRequest request) {
            return new Canned(request, status, errorCode);
        }
    }

    /** A response with a status, an error code header and a Blob service error body. */
    private static final class Canned extends HttpResponse {
        private final int status;
        private final HttpHeaders headers = new HttpHeaders();
        private final byte[] body;

        Canned(HttpRequest request, int status, String errorCode) {
            super(request);
            this.status = status;
            String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + errorCode
                    + "</Code><Message>injected by the test</Message></Error>";
            this.body = "HEAD".equals(request.getHttpMethod().name()) ? new byte[0]
                    : xml.getBytes(StandardCharsets.UTF_8);
            headers.set(HttpHeaderName.fromString("x-ms-error-code"), errorCode);
            headers.set(HttpHeaderName.CONTENT_TYPE, "application/xml");
            headers.set(HttpHeaderName.CONTENT_LENGTH, String.valueOf(body.length));
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public String getHeaderValue(HttpHeaderName name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.just(ByteBuffer.wrap(body));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(body);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just(new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just(new String(body, charset));
        }
    }
}
