package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobClient;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.WriteMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How copy sources are authorized. On Azure, Copy Blob From URL reads the source like an anonymous client, so
 * the store signs a read-only SAS for it; Azurite does not check source authorization, so what the emulator
 * can show is the shape of the signed URL, and that an unsigned copy passes there although Azure refuses it.
 */
class CopySourceAuthorizationTest {
    @Test
    void sharedKeySourceSasIsReadOnlyAndExpiresWithinTheAskedValidity() {
        Location container = AzuriteStores.newContainer("sas");
        BlobClient source = AzuriteStores.serviceClient().getBlobContainerClient(container.bucket())
                .getBlobClient("dir/source.bin");
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);

        String url = CopySourceAuthorizer.sharedKeySas().sourceUrl(source, Duration.ofMinutes(30));

        assertThat(url).startsWith(source.getBlobUrl() + "?");
        Map<String, String> query = Arrays.stream(url.substring(url.indexOf('?') + 1).split("&"))
                .map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
        assertThat(query).containsEntry("sp", "r").containsEntry("sr", "b").containsKey("sig");
        OffsetDateTime expiry = OffsetDateTime.parse(query.get("se").replace("%3A", ":"));
        assertThat(expiry).isBetween(before.plusMinutes(29), before.plusMinutes(31));
    }

    @Test
    void storeOnASharedKeyCredentialSignsItsCopySources() {
        try (AzureBlobObjectStore store = AzuriteStores.open(Map.of())) {
            assertThat(CopySourceAuthorizer.forClient(AzuriteStores.serviceClient()).sourceUrl(
                    AzuriteStores.serviceClient().getBlobContainerClient("any").getBlobClient("b"), Duration.ofMinutes(1)))
                    .contains("sig=");
            Location root = AzuriteStores.scratch(AzuriteStores.newContainer("signed"));
            store.write(root.resolve("a"), new byte[] {1, 2}, WriteMode.CREATE);
            assertThat(store.copy(root.resolve("a"), root.resolve("b"), WriteMode.CREATE).size()).isEqualTo(2);
        }
    }

    @Test
    void azuriteGapCopyFromAnUnsignedSourceUrlSucceedsThereButAzureRefusesIt() {
        try (AzureBlobObjectStore unsigned = AzureBlobObjectStore.builder().config(AzuriteStores.config())
                .copySourceAuthorizer(CopySourceAuthorizer.unsigned()).build()) {
            Location root = AzuriteStores.scratch(AzuriteStores.newContainer("unsigned"));
            unsigned.write(root.resolve("a"), new byte[] {1}, WriteMode.CREATE);
            // On Azure this copy fails (401/403 CannotVerifyCopySource): the private source is unreadable
            // without a SAS. Azurite copies anyway, which is why the default authorizer is never unsigned.
            assertThat(unsigned.copy(root.resolve("a"), root.resolve("b"), WriteMode.CREATE).size()).isEqualTo(1);
        }
    }
}
