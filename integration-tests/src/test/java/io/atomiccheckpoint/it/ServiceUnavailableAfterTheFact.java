package io.atomiccheckpoint.it;

import java.util.Random;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK execution interceptor for the S3 fixtures that turns a share of responses into 503s after the service
 * processed the request: the SDK retries, and the retry meets its own earlier write.
 */
final class ServiceUnavailableAfterTheFact implements ExecutionInterceptor {
    private final double rate;
    private final Random random;

    ServiceUnavailableAfterTheFact(double rate, long seed) {
        this.rate = rate;
        this.random = new Random(seed);
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        boolean hit;
        synchronized (random) {
            hit = random.nextDouble() < rate;
        }
        return hit ? context.httpResponse().toBuilder().statusCode(503).statusText("Service Unavailable").build()
                : context.httpResponse();
    }
}
