package io.atomiccheckpoint.s3.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK {@link ExecutionInterceptor} that replaces the answer to chosen requests (by operation and key) with an
 * S3 error of the given HTTP status and code, or any body, after the server handled the request: a way to make
 * a real request fail with any status and error code, on S3Mock. Works for the async client, whose error
 * responses are parsed from the body this supplies.
 */
public final class ResponseRewriter implements ExecutionInterceptor {
    private static final ExecutionAttribute<Boolean> HIT = new ExecutionAttribute<>("rewritten");

    private final BiPredicate<String, String> matching;
    private final int status;
    private final byte[] body;
    private final AtomicInteger rewritten = new AtomicInteger();

    /** Answers requests of {@code operation} (for example {@code PutObject}) on keys below {@code prefix}. */
    public static ResponseRewriter error(String operation, String prefix, int status, String code) {
        return new ResponseRewriter((op, key) -> op.equals(operation) && key.startsWith(prefix), status,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>injected " + code
                        + "</Message><RequestId>TEST-REQUEST</RequestId></Error>");
    }

    public ResponseRewriter(BiPredicate<String, String> matching, int status, String body) {
        this.matching = matching;
        this.status = status;
        this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    /** How many answers were replaced so far. */
    public int rewritten() {
        return rewritten.get();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
        String key = context.request().getValueForField("Key", String.class)
                .or(() -> context.request().getValueForField("DestinationKey", String.class))
                .or(() -> context.request().getValueForField("Bucket", String.class).map(b -> ""))
                .orElse("");
        if (!matching.test(operation, key)) {
            return context.httpResponse();
        }
        attributes.putAttribute(HIT, true);
        rewritten.incrementAndGet();
        SdkHttpResponse.Builder rewritten = context.httpResponse().toBuilder().statusCode(status)
                .statusText("Rewritten").putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("Content-Type", "application/xml");
        // The original body's checksums would not match the replacement, and the SDK checks them.
        context.httpResponse().headers().keySet().stream()
                .filter(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-checksum"))
                .forEach(rewritten::removeHeader);
        return rewritten.build();
    }

    @Override
    public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        if (!Boolean.TRUE.equals(attributes.getAttribute(HIT))) {
            return context.responsePublisher();
        }
        return Optional.of(SdkPublisher.adapt(AsyncRequestBody.fromBytes(body)));
    }
}
