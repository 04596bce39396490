package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.LocalStackStores;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.testkit.ObjectStoreContract;
import io.atomiccheckpoint.testkit.StoreUnderTest;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Core's store conformance suite on LocalStack with the store's defaults: the probe finds that a refused
 * CopyObject damages the target there ({@link LocalStackGapsTest}), so create-only copies are multipart copies,
 * whose completion LocalStack refuses cleanly; racing writers race for real, with nothing taking turns.
 */
class LocalStackObjectStoreContractTest extends ObjectStoreContract {
    @Override
    protected StoreUnderTest subject() {
        return LocalStackStores.fixture();
    }

    /**
     * LocalStack fails a ListObjectsV2 whose continuation token points at a non-ASCII key
     * ({@link LocalStackGapsTest#emulatorGapListObjectsV2ContinuationTokensBreakAtNonAsciiKeys}); Amazon S3 lists on.
     * So: the same names, with a non-ASCII key inside a page, are listed completely in every way; and the listing
     * whose page would start at one fails, never comes back short.
     */
    @Override
    protected void assertPagedListing() {
        assertThat(subject().gaps()).contains(StoreUnderTest.EmulatorGap.LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS);
        // Sorted, "ü" is last and the ninth name: the third page holds m/n, z and ü, and starts at m/n.
        assertListedRecursiveSortedAndPaged(LISTING_NAMES.stream().filter(n -> !n.equals("0"))
                .collect(Collectors.toList()));
        Location root = newScratchLocation();
        for (String name : LISTING_NAMES) {
            store().write(root.resolve(name), bytes(name), PutMode.CREATE);
        }
        assertThatThrownBy(() -> keys(store().list(root, 3))).isInstanceOf(StoreException.class)
                .hasMessageContaining("HTTP 500");
        assertThat(keys(store().list(root, 10))).hasSize(LISTING_NAMES.size());
    }
}
