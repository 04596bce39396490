package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreException;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * The end of one store operation ({@code s3.timeout.operation} after it started), shared by every request the
 * operation sends: a put of many parts, a copy with its HEAD, a probe. The SDK's own {@code apiCallTimeout}
 * bounds one API call; this bounds the operation. Each request gets the time left as its call timeout, and the
 * wait for its answer is bounded by it too, so the operation fails with {@link ErrorKind#TIMEOUT} however many
 * requests and retries it takes.
 */
final class Deadline {
    /** Durations longer than this are treated as this, so that the arithmetic on nanoTime cannot overflow. */
    private static final long MAX_NANOS = Duration.ofDays(365L * 100).toNanos();

    private final Duration total;
    private final long end;

    private Deadline(Duration total) {
        this.total = total;
        this.end = System.nanoTime() + Math.min(MAX_NANOS, total.toNanos());
    }

    /** A deadline {@code total} from now. */
    static Deadline after(Duration total) {
        return new Deadline(total);
    }

    /** Nanoseconds left; zero or negative once passed. */
    long remainingNanos() {
        return end - System.nanoTime();
    }

    /** The time left, at least one millisecond. */
    Duration remaining(String operation, Location location) {
        long left = remainingNanos();
        if (left <= 0) {
            throw expired(operation, location, null);
        }
        return Duration.ofNanos(Math.max(left, 1_000_000));
    }

    /** The per-request override that caps the SDK's call timeout at the time left. */
    AwsRequestOverrideConfiguration override(String operation, Location location) {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(remaining(operation, location)).build();
    }

    StoreException expired(String operation, Location location, Throwable cause) {
        return new StoreException(ErrorKind.TIMEOUT, operation, location, "did not finish within "
                + S3Settings.OPERATION_TIMEOUT + " = " + total, cause);
    }

    @Override
    public String toString() {
        return "Deadline{" + total + ", " + Duration.ofNanos(Math.max(0, remainingNanos())) + " left}";
    }
}
