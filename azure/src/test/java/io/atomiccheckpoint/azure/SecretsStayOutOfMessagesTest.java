package io.atomiccheckpoint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.atomiccheckpoint.azure.testing.AzuriteLauncher;
import io.atomiccheckpoint.azure.testing.AzuriteStores;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import io.atomiccheckpoint.store.InvalidSettingException;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recognisable fake credentials are configured and the emulator rejects them; neither the store's
 * {@code toString}, the settings' {@code toString}, nor any message or stack trace text of the resulting
 * exceptions may contain them.
 */
class SecretsStayOutOfMessagesTest {
    private static final String FAKE_KEY = Base64.getEncoder().encodeToString(
            "FAKE-ACCOUNT-KEY-must-never-be-printed-0123456789".getBytes(StandardCharsets.US_ASCII));
    private static final String FAKE_SIG = "FAKESIGNATUREmustneverbeprinted0123456789";
    private static Location container;

    @BeforeAll
    static void setUp() {
        container = AzuriteStores.newContainer("secrets");
    }

    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void fakeAccountKeyInAConnectionStringAppearsNowhere() {
        String connectionString = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteLauncher.ACCOUNT
                + ";AccountKey=" + FAKE_KEY + ";BlobEndpoint=" + AzuriteLauncher.shared().blobEndpoint() + ";";
        StoreConfig config = StoreConfig.empty().with("azure.connectionString", connectionString)
                .with("azure.retry.maxAttempts", "1");
        assertThat(config.toString()).doesNotContain(FAKE_KEY);
        try (Store store = Store.of(AzureBlobObjectStore.open(config))) {
            assertThat(store.toString()).doesNotContain(FAKE_KEY).contains("connection string");
            Location loc = container.resolve("k");
            Throwable failure = catchThrowable(() -> store.write(loc, new byte[1], PutMode.CREATE));
            assertThat(failure).isInstanceOf(StoreException.class).hasMessageContaining("access denied");
            assertThat(everything(failure)).doesNotContain(FAKE_KEY);
            Throwable copyFailure = catchThrowable(() -> store.copy(loc, loc.sibling("k2"), PutMode.CREATE));
            assertThat(copyFailure).isInstanceOf(StoreException.class);
            assertThat(everything(copyFailure)).doesNotContain(FAKE_KEY);
        }
    }

    @Test
    void fakeSasSignatureAppearsNowhere() {
        String sas = "sv=2025-01-05&ss=b&srt=sco&sp=rwdlac&se=2099-01-01T00:00:00Z&spr=https,http&sig=" + FAKE_SIG;
        StoreConfig config = StoreConfig.empty().with("azure.endpoint", AzuriteLauncher.shared().blobEndpoint())
                .with("azure.sasToken", sas).with("azure.retry.maxAttempts", "1");
        assertThat(config.toString()).doesNotContain(FAKE_SIG);
        try (Store store = Store.of(AzureBlobObjectStore.open(config))) {
            assertThat(store.toString()).doesNotContain(FAKE_SIG).contains("SAS token");
            Throwable failure = catchThrowable(() -> store.stat(container.resolve("k")));
            assertThat(failure).isInstanceOf(StoreException.class).hasMessageContaining("access denied");
            assertThat(everything(failure)).doesNotContain(FAKE_SIG);
        }
    }

    @Test
    void malformedConnectionStringIsRefusedWithoutEchoingIt() {
        StoreConfig config = StoreConfig.empty().with("azure.connectionString", "AccountKey=" + FAKE_KEY + ";junk");
        Throwable failure = catchThrowable(() -> AzureBlobObjectStore.open(config));
        assertThat(failure).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("azure.connectionString");
        assertThat(everything(failure)).doesNotContain(FAKE_KEY);
    }

    @Test
    void aMalformedSecretSettingIsRefusedWithoutEchoingIt() {
        // A secret in the wrong place: an endpoint with a query string is refused without quoting it.
        StoreConfig config = StoreConfig.empty().with("azure.endpoint", "https://acct.blob.core.windows.net/?sig="
                + FAKE_SIG);
        Throwable failure = catchThrowable(() -> AzureBlobObjectStore.open(config));
        assertThat(failure).isInstanceOf(InvalidSettingException.class).hasMessageContaining("azure.endpoint");
        assertThat(everything(failure)).doesNotContain(FAKE_SIG);
    }

    @Test
    void redactorMasksSignaturesTheServiceEchoes() {
        SecretRedactor redactor = new SecretRedactor(java.util.List.of("literal-secret-value"));
        String text = "The MAC signature found in the HTTP request 'abcDEF123+/=' is not the same;"
                + " url http://h/c/b?sv=1&sig=XYZsecret%3D&se=2; AccountKey=KEYsecret==;"
                + " Authorization: Bearer eyJtoken.part.sig; literal-secret-value";
        String out = redactor.redact(text);
        assertThat(out).doesNotContain("abcDEF123", "XYZsecret", "KEYsecret", "eyJtoken", "literal-secret-value")
                .contains("sv=1", "se=2", SecretRedactor.MASK);
    }
}
