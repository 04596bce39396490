package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.s3.testing.S3MockServer;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Amazon S3 on S3Mock (started by the s3 module's launcher, a JVM of its own), in the scale bucket, which this
 * JVM's S3Mock keeps for the benchmark alone. Our store runs with its defaults ({@code s3.createOnlyCopy=auto}):
 * S3Mock does not enforce {@code If-None-Match: *} on CopyObject, so the store's probe sees that and copies each
 * object with a three-request multipart copy whose completion S3Mock does check. (It refuses the one-request
 * CopyObject path on such a server unless {@code s3.unsafe.allowUnconditionalWrites} is set, which would add a
 * racy HEAD per copy instead.) The raw copier is one CopyObject with {@code If-None-Match: *}, Amazon S3's
 * create-only copy, sent straight with the SDK: the floor of the path our store takes on AWS and LocalStack.
 */
final class S3MockTarget implements StoreTarget {
    static final String CREATE_ONLY_COPY = "auto";
    private static final int MAX_OBJECTS = 2000;
    private static final String BUCKET = S3MockStores.SCALE_BUCKET;

    private final S3MockServer server = S3MockServer.shared();
    private final Store setup = S3MockStores.open();

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public Store store() {
        return setup;
    }

    @Override
    public Location newScratchLocation() {
        return S3MockStores.newScratchLocation(BUCKET);
    }

    @Override
    public StoreConfig config() {
        return S3MockStores.config().with("s3.createOnlyCopy", CREATE_ONLY_COPY);
    }

    @Override
    public int emulatorPort() {
        return URI.create(server.endpoint()).getPort();
    }

    @Override
    public int maxObjects() {
        return MAX_OBJECTS;
    }

    @Override
    public Optional<String> limitReason() {
        return Optional.of("S3Mock " + S3MockServer.VERSION + " is the limit above " + MAX_OBJECTS + " objects: it"
                + " rewrites the bucket's bucketMetadata.json, which lists every key in the bucket (about 850 KB at"
                + " 10 000 keys), for every object it creates, so each copy costs in proportion to the objects already"
                + " in the bucket and a run grows as N squared. On 2 shared cores the raw parallel copy took 7 s at"
                + " N = 1000, 23 s at 2000 and 312 s at 5000 (S3Mock busy 0.87 cores; writing the 5000 objects took"
                + " another 63 s); N = 10 000 would take about 20 minutes per run");
    }

    @Override
    public Connection connect(int port, RequestCounts wire, boolean withHadoop) {
        StoreConfig config = S3MockStores.config().with("s3.endpoint", "http://127.0.0.1:" + port)
                .with("s3.createOnlyCopy", CREATE_ONLY_COPY);
        S3ObjectStore store = S3ObjectStore.builder().config(config)
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(new S3WireCounter(wire))))
                .build();
        S3AsyncClient client = store.client();
        RawCopier raw = (source, target) -> client.copyObject(r -> r.sourceBucket(source.bucket())
                .sourceKey(source.key()).destinationBucket(target.bucket()).destinationKey(target.key())
                .ifNoneMatch("*")).join();
        return new Connection(Store.of(store), raw, withHadoop ? Optional.of(new S3aRename(BUCKET, port, wire))
                : Optional.empty());
    }

    @Override
    public void close() {
        setup.close();
    }
}
