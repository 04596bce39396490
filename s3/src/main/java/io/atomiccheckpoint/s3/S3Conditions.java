package io.atomiccheckpoint.s3;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.PreconditionFailedException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * Decides, per request, whether the condition it needs is enforced by the bucket's server
 * ({@link ConditionalWriteProbe}, or trusted: Amazon S3 by default, any server with
 * {@code s3.conditionalWrites=trust}), and refuses it with
 * {@link ConditionalWritesNotEnforcedException} ({@code NOT_SUPPORTED}) before anything is sent if not: a
 * condition is never dropped. The one exception is the explicit opt-in {@code s3.unsafe.allowUnconditionalWrites}
 * for create-only writes, which checks with a HEAD first (two racing writers can both pass; logged once).
 * Also sends the HEAD requests the store, the copier and that check share.
 */
final class S3Conditions {
    private static final Logger LOG = LoggerFactory.getLogger(S3Conditions.class);

    private final S3AsyncClient client;
    private final S3Settings settings;
    private final S3Errors errors;
    private final ConditionalWriteProbe probe;
    private final AtomicBoolean warnedUnsafe = new AtomicBoolean();

    S3Conditions(S3AsyncClient client, S3Settings settings, S3Errors errors) {
        this.client = client;
        this.settings = settings;
        this.errors = errors;
        this.probe = new ConditionalWriteProbe(client, settings, errors);
    }

    /** What the bucket's server enforces: probed on first use, or trusted. */
    ConditionalWriteSupport support(Location location, Deadline deadline) {
        return probe.support(location, deadline);
    }

    /**
     * Whether a failed multipart upload onto {@code location} may be aborted: unless the bucket was seen (by a
     * probe that already ran) to delete the object at the key on abort. Requests without a condition do not
     * start a probe for this.
     */
    boolean mayAbort(Location location) {
        return probe.known(location).map(ConditionalWriteSupport::abortKeepsExistingObject).orElse(true);
    }

    /** Refuses a request whose condition the server does not enforce. */
    static void require(boolean enforced, String operation, Location location, String condition, String request,
            ConditionalWriteSupport support) {
        if (!enforced) {
            throw new ConditionalWritesNotEnforcedException(operation, location, condition, request, support);
        }
    }

    /**
     * Refuses a create-only request the server would not enforce, or in the explicit unsafe mode makes the best
     * check left: fail if the target exists now. The request is still sent with {@code If-None-Match: *}.
     */
    void requireCreateOnly(boolean enforced, String operation, Location target, String request,
            ConditionalWriteSupport support, Deadline deadline) {
        if (enforced) {
            return;
        }
        if (!settings.allowUnconditionalWrites()) {
            throw new ConditionalWritesNotEnforcedException(operation, target, "If-None-Match: *", request, support);
        }
        if (warnedUnsafe.compareAndSet(false, true)) {
            LOG.warn("the S3 server of bucket {} ignores If-None-Match: * on {}; {}=true, so create-only writes are"
                    + " checked with HEAD first and two racing writers can both succeed", target.bucket(), request,
                    S3Settings.UNSAFE_ALLOW_UNCONDITIONAL);
        }
        if (head(target, null, operation, deadline).isPresent()) {
            throw new PreconditionFailedException(operation, target, null);
        }
    }

    /**
     * HeadObject, with {@code If-Match} if {@code ifMatch} is not null: the object as the service reports it, or
     * empty if there is no such key. A refused {@code If-Match} is a {@link PreconditionFailedException}.
     */
    Optional<ObjectInfo> head(Location location, String ifMatch, String operation, Deadline deadline) {
        try {
            return Optional.of(S3ObjectInfos.of(location.key(), errors.join(client.headObject(r -> r
                    .bucket(location.bucket()).key(location.key()).ifMatch(ifMatch).checksumMode(ChecksumMode.ENABLED)
                    .overrideConfiguration(deadline.override(operation, location))), operation, location, deadline)));
        } catch (ObjectNotFoundException missing) {
            return Optional.empty();
        }
    }
}
