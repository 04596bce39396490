package io.atomiccheckpoint.store;

/** Whether a write or copy may replace an existing object. */
public enum WriteMode {
    /** Replace whatever is there. */
    OVERWRITE,
    /**
     * Create only: succeed only if no object exists at the target, atomically on the service side
     * ({@code ifGenerationMatch=0} on GCS, {@code If-None-Match: *} on S3 and Azure, a hard link on local
     * disks). A lost race fails with {@link PreconditionFailedException}.
     */
    CREATE
}
