package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.ResponseRewriter;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The conditional-write probe (hostile-input issue, "S3 conditional-write probe"), on S3Mock, with answers
 * rewritten where a test needs a server S3Mock is not: one that answers 412 and writes anyway, one whose bucket
 * root the principal may not write, one that cannot delete the probe objects. Also where the probe runs at all
 * (Amazon S3 is trusted) and what {@code s3.createOnlyCopy=copy-object} does where the probe saw CopyObject
 * unenforced. LocalStack, a real server that answers 412 and damages the target, is in {@link LocalStackGapsTest}.
 */
class ConditionalWriteProbeTest {
    private static final String PROBE_PREFIX = ".atomic-checkpoint-probe/";

    private static S3ObjectStore open(StoreConfig config, ExecutionInterceptor... interceptors) {
        return S3ObjectStore.builder().config(config).customizeClient(b -> b.overrideConfiguration(o -> {
            for (ExecutionInterceptor i : interceptors) {
                o.addExecutionInterceptor(i);
            }
        })).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(Store store, Location loc) throws IOException {
        try (InputStream in = store.read(loc)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A server that answers 412 to a create-only CopyObject but has copied anyway (S3Mock copies; its answer is
     * rewritten to 412) does not enforce the condition: the probe reads the target back and sees the source's
     * bytes. Before, the 412 alone made CopyObject count as enforced.
     */
    @Test
    void aServerThatAnswers412ButOverwritesTheTargetIsFoundNotToEnforceCopyObject() {
        RecordingInterceptor wire = new RecordingInterceptor();
        ResponseRewriter refuseAfterCopying = new ResponseRewriter((op, key) -> op.equals("CopyObject")
                && key.startsWith(PROBE_PREFIX), 412, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + "PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold"
                + "</Message><RequestId>TEST</RequestId></Error>");
        try (S3ObjectStore s3 = open(S3MockStores.config(), refuseAfterCopying, wire)) {
            ConditionalWriteSupport support = s3.conditionalWriteSupport(S3MockStores.newScratchLocation());
            assertThat(refuseAfterCopying.rewritten()).isEqualTo(2);
            assertThat(support.copyObject()).as("412, but the target now holds the source's bytes").isFalse();
            // S3Mock does refuse a wrong x-amz-copy-source-if-match before copying: still enforced.
            assertThat(support.copyObjectSourceIfMatch()).isTrue();
            assertThat(support.putObject()).isTrue();
            assertThat(support.completeMultipartUpload()).isTrue();
            // Every refusal is followed by a read of the object it addressed.
            List<RecordingInterceptor.Sent> sent = wire.sent();
            for (int i = 0; i < sent.size(); i++) {
                RecordingInterceptor.Sent s = sent.get(i);
                boolean conditionalWrite = (s.operation.equals("PutObject") || s.operation.equals("CopyObject")
                        || s.operation.equals("CompleteMultipartUpload"))
                        && (s.header("If-None-Match").isPresent() || s.header("If-Match").isPresent()
                                || s.header("x-amz-copy-source-if-match").isPresent());
                if (conditionalWrite) {
                    assertThat(sent.get(i + 1)).as("after " + s).satisfies(next -> {
                        assertThat(next.operation).isEqualTo("GetObject");
                        assertThat(next.key).isEqualTo(s.key);
                        assertThat(next.header("Range")).isEmpty();
                    });
                }
            }
        }
    }

    /**
     * And the store acts on it: a create-only copy onto an existing object goes the multipart way, whose
     * completion S3Mock refuses, and the committed object keeps its bytes.
     */
    @Test
    void whereCopyObjectDamagesTheTargetCreateOnlyCopiesAreMultipartCopies() throws IOException {
        RecordingInterceptor wire = new RecordingInterceptor();
        ResponseRewriter refuseAfterCopying = new ResponseRewriter((op, key) -> op.equals("CopyObject")
                && key.startsWith(PROBE_PREFIX), 412, "<Error><Code>PreconditionFailed</Code></Error>");
        try (Store store = Store.of(open(S3MockStores.config(), refuseAfterCopying, wire))) {
            Location root = S3MockStores.newScratchLocation();
            store.write(root.resolve("src"), bytes("new"), PutMode.CREATE);
            store.write(root.resolve("dst"), bytes("committed"), PutMode.CREATE);
            assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("dst"), PutMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(read(store, root.resolve("dst"))).isEqualTo("committed");
            assertThat(wire.sent("CopyObject", root.key())).isEmpty();
            assertThat(wire.sent("CompleteMultipartUpload", root.key())).singleElement()
                    .satisfies(s -> assertThat(s.header("If-None-Match")).contains("*"));
        }
    }

    /**
     * Where the principal may not write the bucket root's probe prefix (403, as under an IAM policy scoped to a
     * prefix), the probe runs beside the directory of the object that needed it, and cleans up there. Before, the
     * probe failed and so did every conditional request.
     */
    @Test
    void whereTheBucketRootIsDeniedTheProbeRunsBesideTheLocationsDirectory() {
        RecordingInterceptor wire = new RecordingInterceptor();
        ResponseRewriter denyRoot = ResponseRewriter.error("PutObject", PROBE_PREFIX, 403, "AccessDenied");
        try (S3ObjectStore s3 = open(S3MockStores.config(), denyRoot, wire); Store store = Store.of(s3)) {
            Location root = S3MockStores.newScratchLocation();
            Location marker = root.resolve("step_1/commit_success.txt");
            store.write(marker, bytes("m"), PutMode.CREATE);
            assertThat(denyRoot.rewritten()).isEqualTo(1);
            ConditionalWriteSupport support = s3.conditionalWriteSupport(marker);
            assertThat(support.probed()).isTrue();
            assertThat(support.putObject()).isTrue();
            String beside = root.key() + "/" + PROBE_PREFIX;
            assertThat(wire.sent("PutObject", beside)).hasSizeGreaterThanOrEqualTo(2);
            assertThat(wire.sent("PutObject", root.key() + "/step_1/")).singleElement()
                    .satisfies(s -> assertThat(s.key).isEqualTo(marker.key()));
            // One the probe sends to see whether DeleteObjects honours an object's ETag, one its clean-up sends.
            assertThat(wire.sent("DeleteObjects")).hasSize(2);
            try (Stream<io.atomiccheckpoint.store.ObjectInfo> left = store.list(root)) {
                assertThat(left.map(o -> o.key()).collect(Collectors.toList())).containsExactly(marker.key());
            }
        }
    }

    /** A probe denied everywhere fails, naming the setting that says where it writes; nothing is remembered. */
    @Test
    void aProbeDeniedEverywhereFailsNamingTheProbePrefixSetting() {
        ResponseRewriter denyAll = ResponseRewriter.error("PutObject", "", 403, "AccessDenied");
        try (Store store = Store.of(open(S3MockStores.config(), denyAll))) {
            Location marker = S3MockStores.newScratchLocation().resolve("step_1/commit_success.txt");
            assertThatThrownBy(() -> store.write(marker, bytes("m"), PutMode.CREATE))
                    .hasMessageContaining("cannot find out which conditional requests")
                    .hasMessageContaining("s3.probe.prefix")
                    .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
            assertThat(denyAll.rewritten()).isEqualTo(2);
        }
    }

    /** The probe's delete is checked: keys the service reports it could not delete are logged as left behind. */
    @Test
    void probeObjectsTheServiceCouldNotDeleteAreReported() {
        ResponseRewriter partialDelete = new ResponseRewriter((op, key) -> op.equals("DeleteObjects"), 200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"http://s3.amazonaws.com/doc/"
                        + "2006-03-01/\"><Error><Key>" + PROBE_PREFIX + "x/a</Key><Code>AccessDenied</Code><Message>"
                        + "Access Denied</Message></Error></DeleteResult>");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (S3ObjectStore s3 = open(S3MockStores.config(), partialDelete)) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                assertThat(s3.conditionalWriteSupport(S3MockStores.newScratchLocation()).probed()).isTrue();
            } finally {
                System.setErr(original);
            }
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("were left behind")
                .contains(PROBE_PREFIX + "x/a").contains("AccessDenied");
    }

    /** Amazon S3 itself (no endpoint override) is trusted: nothing is sent to find out. Before, it was probed. */
    @Test
    void amazonS3IsTrustedWithoutAProbeAndAnEndpointOverrideIsProbed() {
        RecordingInterceptor wire = new RecordingInterceptor();
        try (S3ObjectStore aws = open(StoreConfig.empty().with("s3.region", "us-east-1")
                .with("s3.credentials", "anonymous"), wire)) {
            ConditionalWriteSupport support = aws.conditionalWriteSupport(Location.parse("s3://some-bucket/x/y"));
            assertThat(support.probed()).isFalse();
            assertThat(support.enforcesEverything()).isTrue();
            assertThat(wire.sent()).isEmpty();
        }
        try (S3ObjectStore emulator = open(S3MockStores.config(), wire)) {
            assertThat(emulator.conditionalWriteSupport(S3MockStores.newScratchLocation()).probed()).isTrue();
            assertThat(wire.sent("PutObject")).isNotEmpty();
        }
    }

    /**
     * {@code s3.createOnlyCopy=copy-object} no longer bypasses the probe: where CopyObject ignores
     * {@code If-None-Match} (S3Mock), a create-only copy is refused before anything is sent, naming the opt-in.
     * Before, it was sent without an enforced condition and overwrote the target.
     */
    @Test
    void copyObjectModeIsRefusedWhereTheProbeSawCopyObjectUnenforced() throws IOException {
        RecordingInterceptor wire = new RecordingInterceptor();
        try (Store store = Store.of(open(S3MockStores.config().with("s3.createOnlyCopy", "copy-object"), wire))) {
            Location root = S3MockStores.newScratchLocation();
            store.write(root.resolve("src"), bytes("new"), PutMode.CREATE);
            store.write(root.resolve("dst"), bytes("committed"), PutMode.CREATE);
            assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("dst"), PutMode.CREATE))
                    .isInstanceOf(ConditionalWritesNotEnforcedException.class)
                    .hasMessageContaining("If-None-Match: * on CopyObject")
                    .hasMessageContaining("s3.unsafe.allowUnconditionalWrites=true");
            assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("fresh"), PutMode.CREATE))
                    .isInstanceOf(ConditionalWritesNotEnforcedException.class);
            assertThat(wire.sent("CopyObject", root.key())).isEmpty();
            assertThat(read(store, root.resolve("dst"))).isEqualTo("committed");
            assertThat(store.stat(root.resolve("fresh"))).isEmpty();
            // Overwriting copies need no condition on the target and still go through.
            store.copy(root.resolve("src"), root.resolve("dst"), PutMode.OVERWRITE);
            assertThat(read(store, root.resolve("dst"))).isEqualTo("new");
        }
    }

    /** With the unsafe opt-in it looks before it copies, and still sends the header. */
    @Test
    void copyObjectModeWithTheUnsafeOptInChecksFirst() throws IOException {
        RecordingInterceptor wire = new RecordingInterceptor();
        try (Store store = Store.of(open(S3MockStores.config().with("s3.createOnlyCopy", "copy-object")
                .with("s3.unsafe.allowUnconditionalWrites", "true"), wire))) {
            Location root = S3MockStores.newScratchLocation();
            store.write(root.resolve("src"), bytes("new"), PutMode.CREATE);
            store.write(root.resolve("dst"), bytes("committed"), PutMode.CREATE);
            assertThatThrownBy(() -> store.copy(root.resolve("src"), root.resolve("dst"), PutMode.CREATE))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(read(store, root.resolve("dst"))).isEqualTo("committed");
            store.copy(root.resolve("src"), root.resolve("fresh"), PutMode.CREATE);
            assertThat(wire.sent("CopyObject", root.key())).singleElement()
                    .satisfies(s -> assertThat(s.header("If-None-Match")).contains("*"));
            assertThat(store.toString()).contains("UNSAFE");
        }
    }
}
