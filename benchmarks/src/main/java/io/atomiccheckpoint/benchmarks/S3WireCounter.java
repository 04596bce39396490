package io.atomiccheckpoint.benchmarks;

import java.util.Locale;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts each HTTP attempt the AWS SDK sends, by S3 operation, for our store, the raw copier and (through
 * {@link S3aWireCounter}) S3A: one hook for all three, so their columns compare like for like.
 */
final class S3WireCounter implements ExecutionInterceptor {
    private final RequestCounts counts;

    S3WireCounter(RequestCounts counts) {
        this.counts = counts;
    }

    // Called once per attempt, so a retried request counts each time it went out, like the Azure policy's tries.
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        counts.add(kind(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)));
    }

    static String kind(String operation) {
        if (operation == null) {
            return "unknown";
        }
        return switch (operation) {
            case "CopyObject" -> "copy";
            case "HeadObject" -> "head";
            case "ListObjectsV2", "ListObjects" -> "list";
            case "PutObject" -> "put";
            case "GetObject" -> "get";
            case "DeleteObject" -> "delete";
            case "DeleteObjects" -> "delete-batch";
            case "CreateMultipartUpload" -> "mpu-create";
            case "UploadPartCopy" -> "part-copy";
            case "UploadPart" -> "part";
            case "CompleteMultipartUpload" -> "mpu-complete";
            case "AbortMultipartUpload" -> "mpu-abort";
            default -> operation.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        };
    }
}
