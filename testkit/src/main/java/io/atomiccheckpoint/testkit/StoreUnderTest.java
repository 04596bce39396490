package io.atomiccheckpoint.testkit;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.util.Set;

/**
 * One store as every test suite of the project sees it: the conformance contracts, the shared atomicity suite
 * in {@code integration-tests} and the benchmarks all reach a store through this, so adding a store (or an
 * emulator) means writing one of these. Implementations start their emulator on first use and stop it at exit.
 */
public interface StoreUnderTest {
    /** Short name for test names and tables: {@code filesystem}, {@code memory}, {@code s3 (S3Mock)}, ... */
    String name();

    /** The store, opened once and shared by the tests of one JVM. */
    Store store();

    /** A fresh location no other test uses, below which a test may write. */
    Location newScratchLocation();

    /**
     * Settings that open the same store again through {@link Store#open} (in a child JVM, say). Only emulator
     * settings, never real credentials.
     */
    StoreConfig config();

    /**
     * The emulator's known defects that the contracts must not assert against, each named by a test of the
     * module that shows what the emulator does and what the real service does.
     */
    default Set<EmulatorGap> gaps() {
        return Set.of();
    }

    /** Behaviours a real service has and an emulator may lack. */
    enum EmulatorGap {
        /** A create-only server-side copy onto an existing object is not refused. */
        CREATE_ONLY_COPY_NOT_ENFORCED,
        /** A copy pinned to a source version is not refused when the source changed. */
        PINNED_COPY_NOT_ENFORCED,
        /** Several create-only writes racing on one key can all succeed. */
        CREATE_ONLY_RACE_NOT_ATOMIC,
        /**
         * A listing whose next page would start at a key with a non-ASCII character fails (the server refuses its
         * own page token); the listing never comes back short, and pages that start at ASCII keys are fine.
         */
        LISTING_TOKEN_AT_NON_ASCII_KEY_FAILS,
        /**
         * A copy pinned to a source version whose source was replaced by a shorter object fails on its byte range
         * (HTTP 400) instead of its source condition (412): nothing is copied, but the refusal is not recognisable
         * as a refused condition.
         */
        PINNED_PART_COPY_OF_REPLACED_SOURCE_FAILS_ON_RANGE,
        /**
         * The server deletes a replaced object whose delete named the listed version, so the store offers no
         * pinned deletes there ({@code Store.supportsConditionalDelete} is false) and a stopped {@code create()}
         * can delete a newer object of the same name as a leftover.
         */
        PINNED_DELETE_NOT_ENFORCED
    }
}
