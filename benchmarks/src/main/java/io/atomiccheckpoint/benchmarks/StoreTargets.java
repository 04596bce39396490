package io.atomiccheckpoint.benchmarks;

/** Opens a {@link StoreTarget} by name; a target whose emulator cannot start fails here, with the reason. */
final class StoreTargets {
    private StoreTargets() {
    }

    static StoreTarget open(String name) {
        switch (name) {
            case "filesystem":
                return new FileSystemTarget();
            case "azure":
                return new AzuriteTarget();
            case "gcs":
                return new FakeGcsTarget();
            case "s3":
                return new S3MockTarget();
            default:
                throw new IllegalArgumentException("unknown store '" + name
                        + "'; known: filesystem, azure, gcs, s3");
        }
    }
}
