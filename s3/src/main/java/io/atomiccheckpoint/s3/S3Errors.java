package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.StoreException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Turns SDK failures into core's exceptions: 412 into {@link PreconditionFailedException}, 404 into
 * {@link ObjectNotFoundException}, everything else into a {@link StoreException} whose message names the
 * HTTP status, S3 error code and request id. Configured secrets are scrubbed from every message we write.
 */
final class S3Errors {
    static final int PRECONDITION_FAILED = 412;
    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;

    private final List<String> secrets;

    S3Errors(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** Waits for {@code future}, translating its failure for {@code operation} on {@code location}. */
    <T> T join(CompletionStage<T> future, String operation, Location location) {
        try {
            return future.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation, location, "interrupted", e);
        } catch (ExecutionException e) {
            throw translate(operation, location, e.getCause());
        }
    }

    /** As {@link #join}, but a 404 is not taken to mean a missing object (listings, batch deletes). */
    <T> T joinGeneric(CompletionStage<T> future, String operation, Location location) {
        try {
            return future.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation, location, "interrupted", e);
        } catch (ExecutionException e) {
            throw generic(operation, location, e.getCause());
        }
    }

    /** The failure as core's exception; a 404 means the object at {@code location} is missing. */
    StoreException translate(String operation, Location location, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof StoreException) {
            return (StoreException) e;
        }
        int status = status(e);
        if (status == PRECONDITION_FAILED) {
            return new PreconditionFailedException(operation, location, e);
        }
        if (status == NOT_FOUND && !"NoSuchBucket".equals(errorCode(e))) {
            return new ObjectNotFoundException(operation, location, e);
        }
        return new StoreException(operation, location, describe(e), e);
    }

    /** A failure that never means "not found" (for listings and deletes). */
    StoreException generic(String operation, Location location, Throwable failure) {
        Throwable e = unwrap(failure);
        return e instanceof StoreException ? (StoreException) e : new StoreException(operation, location, describe(e), e);
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static int status(Throwable t) {
        Throwable e = unwrap(t);
        return e instanceof AwsServiceException ? ((AwsServiceException) e).statusCode() : -1;
    }

    static String errorCode(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
            return ((AwsServiceException) e).awsErrorDetails().errorCode();
        }
        return null;
    }

    /** Status, S3 error code, the service's message and request id; or the client-side failure. */
    String describe(Throwable t) {
        Throwable e = unwrap(t);
        String text;
        if (e instanceof AwsServiceException) {
            AwsServiceException s = (AwsServiceException) e;
            String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            text = "HTTP " + s.statusCode() + (errorCode(s) == null ? "" : " " + errorCode(s))
                    + (message == null ? "" : ": " + message) + (s.requestId() == null ? "" : " (request id " + s.requestId() + ")");
        } else {
            text = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return scrub(text);
    }

    String scrub(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "<redacted>");
        }
        return out;
    }
}
