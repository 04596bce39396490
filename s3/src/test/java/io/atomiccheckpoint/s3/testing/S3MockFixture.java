package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.S3ObjectStore;
import io.atomiccheckpoint.s3.S3Settings;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.EnumSet;
import java.util.Set;

/**
 * The S3 store on the shared {@link S3MockServer} as the test suites see it: {@link #store()} is the facade over
 * an {@link S3ObjectStore} opened once with {@link #config()}, wrapped in {@link SerializedCreateOnlyWrites}
 * because S3Mock decides concurrent conditional writes non-atomically; every request it sends is recorded by
 * {@link #wire()}, for hooks that assert what the store sends where S3Mock cannot show a refusal.
 *
 * <p>{@link #gaps()}, with the evidence in {@code S3MockGapsTest}:
 * <ul>
 *   <li>{@link StoreUnderTest.EmulatorGap#CREATE_ONLY_RACE_NOT_ATOMIC}, always: S3Mock checks
 *       {@code If-None-Match} (and {@code If-Match}) and then writes;</li>
 *   <li>{@link StoreUnderTest.EmulatorGap#CREATE_ONLY_COPY_NOT_ENFORCED} with {@code s3.createOnlyCopy=copy-object}
 *       (which on S3Mock needs {@code s3.unsafe.allowUnconditionalWrites=true}, a HEAD before the copy): S3Mock
 *       ignores {@code If-None-Match} on CopyObject. With the default {@code auto} the probe sees that and copies
 *       create-only by multipart copy, whose completion S3Mock does refuse, so there is no gap;</li>
 *   <li>{@link StoreUnderTest.EmulatorGap#PINNED_DELETE_NOT_ENFORCED}, always: S3Mock ignores the {@code ETag}
 *       of each object in DeleteObjects (it enforces {@code If-Match} on a single DeleteObject), so the probe
 *       reports it and the store offers no pinned deletes.</li>
 * </ul>
 * S3Mock 5.2.0 enforces {@code If-Match} on PutObject, CompleteMultipartUpload, GetObject and HeadObject and
 * {@code x-amz-copy-source-if-match} on CopyObject and UploadPartCopy, so pinned copies, updates and pinned reads
 * have no gap.
 */
public final class S3MockFixture extends S3ServerFixture {
    /** A fixture named {@code name} whose store is opened, on first use, with {@code config}. */
    public S3MockFixture(String name, StoreConfig config) {
        super(name, config);
    }

    /** S3Mock decides racing conditional writes non-atomically; they take turns here (see the class comment). */
    @Override
    protected ObjectStore between(S3ObjectStore s3) {
        return new SerializedCreateOnlyWrites(s3);
    }

    @Override
    public Location newScratchLocation() {
        return S3MockStores.newScratchLocation();
    }

    @Override
    public Set<EmulatorGap> gaps() {
        Set<EmulatorGap> gaps = EnumSet.of(EmulatorGap.CREATE_ONLY_RACE_NOT_ATOMIC,
                EmulatorGap.PINNED_DELETE_NOT_ENFORCED);
        if (S3Settings.CREATE_ONLY_COPY.read(config()) == S3Settings.CreateOnlyCopy.COPY_OBJECT) {
            gaps.add(EmulatorGap.CREATE_ONLY_COPY_NOT_ENFORCED);
        }
        return gaps;
    }
}
