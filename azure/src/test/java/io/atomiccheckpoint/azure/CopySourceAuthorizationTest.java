package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.azure.testing.AzuriteLauncher;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How copy sources are authorized, checked on the {@code x-ms-copy-source} URLs the store actually sends
 * (recorded in its HTTP pipeline). On Azure, Copy Blob From URL reads the source like an anonymous client, so the
 * store signs a read-only SAS for it; Azurite does not check source authorization within one account, so what
 * the emulator shows is the URL sent, and that an unsigned copy passes there although Azure refuses it.
 */
class CopySourceAuthorizationTest {
    private static Map<String, String> query(String url) {
        return Arrays.stream(url.substring(url.indexOf('?') + 1).split("&"))
                .map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }

    private static Store recorded(Wire.Recorder wire, StoreConfig config, CopySourceAuthorizer authorizer) {
        AzureBlobObjectStore.Builder b = AzureBlobObjectStore.builder().config(config)
                .clientCustomizer(c -> c.addPolicy(wire));
        if (authorizer != null) {
            b.copySourceAuthorizer(authorizer);
        }
        return Store.of(b.build());
    }

    /** The blob's URL as the SDK writes it (the name's slashes percent-encoded). */
    private static String blobUrl(Location location) {
        return AzuriteStores.serviceClient().getBlobContainerClient(location.bucket()).getBlobClient(location.key())
                .getBlobUrl();
    }

    private static List<String> copySources(Wire.Recorder wire) {
        return wire.requests().stream().map(Wire.Request::copySource).filter(s -> s != null)
                .collect(Collectors.toList());
    }

    @Test
    void aSharedKeyStoreSendsAReadOnlySasThatExpiresWithinTheCopysNeedOnBothCopyPaths() {
        Location root = AzuriteStores.scratch(AzuriteStores.newContainer("sas"));
        for (boolean async : new boolean[] {false, true}) {
            Wire.Recorder wire = new Wire.Recorder();
            StoreConfig config = AzuriteStores.config(async
                    ? Map.of("azure.syncCopyMaxBytes", "0", "azure.copy.pollInterval", "PT0.05S",
                            "azure.timeout.operation", "PT50M")
                    : Map.of());
            try (Store store = recorded(wire, config, null)) {
                Location src = root.resolve("dir/source-" + async + ".bin");
                store.write(src, new byte[] {1, 2, 3}, PutMode.CREATE);
                OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);

                ObjectInfo copied = store.copy(src, src.sibling("target-" + async), PutMode.CREATE);

                assertThat(copied.size()).isEqualTo(3);
                List<String> sent = copySources(wire);
                assertThat(sent).as("copy sources sent").hasSize(1);
                String url = sent.get(0);
                assertThat(url).startsWith(blobUrl(src) + "?");
                Map<String, String> q = query(url);
                assertThat(q).containsEntry("sp", "r").containsEntry("sr", "b").containsKey("sig");
                OffsetDateTime expiry = OffsetDateTime.parse(q.get("se").replace("%3A", ":"));
                // Synchronous: 30 minutes; asynchronous: the operation deadline plus 10 minutes.
                Duration validity = async ? Duration.ofMinutes(60) : Duration.ofMinutes(30);
                assertThat(expiry).isBetween(before.plus(validity).minusMinutes(1), before.plus(validity).plusMinutes(1));
            }
        }
    }

    @Test
    void aConfiguredSasTokenIsWhatCopySourcesCarry() {
        BlobServiceClient admin = AzuriteStores.serviceClient();
        String sas = admin.generateAccountSas(new AccountSasSignatureValues(
                OffsetDateTime.now(ZoneOffset.UTC).plusHours(1), AccountSasPermission.parse("rwdlac"),
                new AccountSasService().setBlobAccess(true),
                new AccountSasResourceType().setService(true).setContainer(true).setObject(true)));
        StoreConfig config = StoreConfig.empty().with("azure.endpoint", AzuriteLauncher.shared().blobEndpoint())
                .with("azure.sasToken", "?" + sas);
        Wire.Recorder wire = new Wire.Recorder();
        try (Store store = recorded(wire, config, null)) {
            Location src = AzuriteStores.scratch(AzuriteStores.newContainer("token")).resolve("a");
            store.write(src, new byte[] {1}, PutMode.CREATE);
            assertThat(store.copy(src, src.sibling("b"), PutMode.CREATE).size()).isEqualTo(1);
            assertThat(copySources(wire)).containsExactly(blobUrl(src) + "?" + sas);
        }
    }

    /**
     * Azurite gap: within one account it copies from a bare, unsigned source URL, on Copy Blob From URL and on
     * Start Copy alike. Azure reads a copy source as an anonymous client, so it refuses the same copy of a
     * private blob (CannotVerifyCopySource, 401 or 403: PERMISSION_DENIED or UNAUTHENTICATED in the error table),
     * which is why the store never sends an unsigned URL unless told to.
     */
    @Test
    void azuriteGapCopyFromAnUnsignedSourceUrlSucceedsThereButAzureRefusesIt() {
        Location root = AzuriteStores.scratch(AzuriteStores.newContainer("unsigned"));
        for (Map<String, String> path : List.of(Map.<String, String>of(),
                Map.of("azure.syncCopyMaxBytes", "0", "azure.copy.pollInterval", "PT0.05S"))) {
            Wire.Recorder wire = new Wire.Recorder();
            try (Store unsigned = recorded(wire, AzuriteStores.config(path), CopySourceAuthorizer.unsigned())) {
                Location src = root.resolve("a" + path.size());
                unsigned.write(src, new byte[] {1}, PutMode.CREATE);
                assertThat(unsigned.copy(src, src.sibling("b" + path.size()), PutMode.CREATE).size()).isEqualTo(1);
                assertThat(copySources(wire)).singleElement().asString().doesNotContain("?").doesNotContain("sig=");
            }
        }
        assertThat(AzureFailures.kindOf(403, "CannotVerifyCopySource")).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(AzureFailures.kindOf(401, "CannotVerifyCopySource")).isEqualTo(ErrorKind.UNAUTHENTICATED);
    }
}
