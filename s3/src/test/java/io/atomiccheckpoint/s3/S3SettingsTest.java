package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.location.Scheme;
import io.atomiccheckpoint.spi.StoreCapabilities;
import io.atomiccheckpoint.store.CommonSettings;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.Setting;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@code s3.*} settings, parsed when a store is opened (no request is sent): every key declared once with
 * its default and meaning, unknown keys refused naming the key, bad values refused naming the key and the rule,
 * secrets never echoed; and the provider found by scheme.
 */
class S3SettingsTest {
    /** Points at a port nothing listens on: opening a store sends no request. */
    private static final StoreConfig OFFLINE = StoreConfig.empty().with("s3.endpoint", "http://127.0.0.1:9")
            .with("s3.region", "us-east-1").with("s3.credentials", "anonymous");

    @Test
    void everyKeyIsDeclaredOnceUnderS3WithADescription() {
        assertThat(S3Settings.SETTINGS).allSatisfy(s -> {
            assertThat(s.key()).startsWith("s3.");
            assertThat(s.description()).isNotBlank();
        });
        assertThat(S3Settings.SETTINGS.stream().map(Setting::key).collect(Collectors.toList())).doesNotHaveDuplicates()
                .contains("s3.retry.maxAttempts", "s3.timeout.attempt", "s3.timeout.operation")
                .doesNotContain("s3.apiCallTimeout");
        assertThat(S3Settings.RETRY_MAX_ATTEMPTS.key()).isEqualTo(CommonSettings.maxAttempts("s3").key());
        assertThat(S3Settings.ACCESS_KEY_ID.secret()).isTrue();
        assertThat(S3Settings.SECRET_ACCESS_KEY.secret()).isTrue();
        assertThat(S3Settings.SESSION_TOKEN.secret()).isTrue();
    }

    @Test
    void defaultsAreTheDeclaredOnes() {
        S3Settings settings = S3Settings.from(StoreConfig.empty());
        assertThat(settings.retryMaxAttempts()).isEqualTo(CommonSettings.DEFAULT_MAX_ATTEMPTS);
        assertThat(settings.attemptTimeout()).isEqualTo(CommonSettings.DEFAULT_ATTEMPT_TIMEOUT);
        assertThat(settings.operationTimeout()).isEqualTo(CommonSettings.DEFAULT_OPERATION_TIMEOUT);
        assertThat(settings.deleteBatchSize()).isEqualTo(1000);
        assertThat(settings.credentials()).isEqualTo(S3Settings.CredentialsMode.DEFAULT);
        assertThat(settings.createOnlyCopy()).isEqualTo(S3Settings.CreateOnlyCopy.AUTO);
        assertThat(settings.conditionalWrites()).isEqualTo(S3Settings.ConditionalWrites.AUTO);
        assertThat(settings.expectContinue()).isTrue();
        assertThat(S3Settings.from(StoreConfig.empty().with("s3.timeout.operation", "PT2S")
                .with("s3.timeout.attempt", "500").with("s3.requestChecksums", "when-required")))
                .satisfies(s -> {
                    assertThat(s.operationTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(s.attemptTimeout()).isEqualTo(Duration.ofMillis(500));
                    assertThat(s.requestChecksums()).isEqualTo(S3Settings.RequestChecksums.WHEN_REQUIRED);
                });
    }

    /** Amazon S3 itself (no endpoint override) is trusted by default; any server reached through an endpoint is probed. */
    @Test
    void theDefaultTrustsAmazonS3AndProbesEveryEndpointOverride() {
        assertThat(S3Settings.from(StoreConfig.empty()).trustsConditions()).isTrue();
        StoreConfig emulator = StoreConfig.empty().with("s3.endpoint", "http://127.0.0.1:9090");
        assertThat(S3Settings.from(emulator).trustsConditions()).isFalse();
        assertThat(S3Settings.from(emulator.with("s3.conditionalWrites", "trust")).trustsConditions()).isTrue();
        assertThat(S3Settings.from(StoreConfig.empty().with("s3.conditionalWrites", "probe")).trustsConditions())
                .isFalse();
        assertThat(S3Settings.from(emulator).toString()).contains("conditionalWrites=auto (probed)");
        assertThat(S3Settings.from(StoreConfig.empty()).toString()).contains("conditionalWrites=auto (trusted)");
    }

    @Test
    void unknownKeysAreRefusedNamingTheKey() {
        for (String key : new String[] {"s3.regoin", "s3.apiCallTimeout", "s3.retry.maxAtempts"}) {
            assertThatThrownBy(() -> S3ObjectStore.open(OFFLINE.with(key, "x"))).as(key)
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining(key)
                    .hasMessageContaining("unknown s3 setting")
                    .satisfies(e -> assertThat(((InvalidSettingException) e).key()).isEqualTo(key))
                    .satisfies(e -> assertThat(((InvalidSettingException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        }
        // Other stores' keys are theirs to check.
        S3ObjectStore.open(OFFLINE.with("gcs.project", "p")).close();
    }

    @Test
    void badValuesAreRefusedNamingTheKeyAndTheRule() {
        String[][] cases = {
            {"s3.multipartCopyThresholdBytes", "6000000000", "must be 0 to"},
            {"s3.multipartCopyPartSizeBytes", "1024", "must be"},
            {"s3.deleteBatchSize", "1001", "must be 1 to 1000"},
            {"s3.retry.maxAttempts", "0", "must be 1 to 100"},
            {"s3.timeout.operation", "soon", "ISO-8601"},
            {"s3.timeout.attempt", "PT0S", "positive"},
            {"s3.conditionalWrites", "maybe", "auto, probe, trust"},
            {"s3.expectContinue", "no", "true or false"},
            {"s3.createOnlyCopy", "copy_object", "auto, copy-object, multipart-copy"},
            {"s3.pathStyle", "yes", "true or false"},
            {"s3.region", "US East", "region name"},
            {"s3.probe.prefix", "../x", "relative key prefix"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> S3ObjectStore.open(OFFLINE.with(c[0], c[1]))).as(c[0])
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining(c[0]).hasMessageContaining(c[2]);
        }
        assertThatThrownBy(() -> S3ObjectStore.open(StoreConfig.empty().with("s3.accessKeyId", "AKIAONLY")))
                .hasMessageContaining("s3.secretAccessKey").hasMessageNotContaining("AKIAONLY");
        assertThatThrownBy(() -> S3ObjectStore.open(OFFLINE.with("s3.endpoint", "http://user:pw@host:9000")))
                .hasMessageContaining("user info").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> S3ObjectStore.open(OFFLINE.with("s3.accessKeyId", "AKIASECRET")
                .with("s3.secretAccessKey", "s3cr3t"))).hasMessageContaining("conflicts")
                .hasMessageNotContaining("AKIASECRET").hasMessageNotContaining("s3cr3t");
    }

    @Test
    void capabilitiesFollowTheSettings() {
        try (S3ObjectStore store = S3ObjectStore.open(OFFLINE.with("s3.deleteBatchSize", "250"))) {
            assertThat(store.capabilities()).isEqualTo(new StoreCapabilities(Scheme.S3, 250, 1000, true, true, true));
        }
    }

    @Test
    void storeOpenFindsTheProviderForS3Locations() {
        assertThat(Store.provider(Scheme.S3)).isInstanceOf(S3ObjectStoreProvider.class);
        try (Store store = Store.open(Location.parse("s3://bucket/x"), OFFLINE)) {
            assertThat(store.spi()).isInstanceOf(S3ObjectStore.class);
            assertThat(store.maxDeleteBatchSize()).isEqualTo(1000);
        }
    }

    @Test
    void credentialsAppearNowhereInToString() {
        StoreConfig config = OFFLINE.with("s3.credentials", "static").with("s3.accessKeyId", "AKIAPRINTME")
                .with("s3.secretAccessKey", "s3cr3t-print-me").with("s3.sessionToken", "t0ken-print-me");
        try (S3ObjectStore store = S3ObjectStore.open(config)) {
            String shown = config + " " + store + " " + store.settings();
            assertThat(shown).doesNotContain("AKIAPRINTME").doesNotContain("s3cr3t-print-me")
                    .doesNotContain("t0ken-print-me").contains("credentials=static");
        }
    }
}
