package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.atomicity.TemporaryPath;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.PutMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opens each cloud store with recognisable fake credentials, drives it into authentication failures and
 * ordinary errors, and checks that no secret appears in any log line (SLF4J on standard error and
 * java.util.logging), exception message or stack trace, or {@code toString}.
 *
 * <p>java.util.logging is captured at FINEST, the most detailed named level, from every logger except two
 * wire-level traces that print raw HTTP and that a user has to switch on explicitly: the JDK's
 * HttpURLConnection logger (every header at FINE) and google-http-client's transport logger, which at CONFIG
 * prints request bodies; a GCS batch-delete body embeds each inner request's {@code Authorization} header.
 * The README warns against enabling either in production.
 */
class SecretsTest {
    private static final java.util.Set<String> WIRE_LOGGERS = java.util.Set.of(
            "sun.net.www.protocol.http.HttpURLConnection", "com.google.api.client.http.HttpTransport");

    static List<StoreFixture> fixtures() {
        return Fixtures.all().stream().filter(f -> !f.fakeSecrets().isEmpty()).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fakeCredentialsAppearNowhere(StoreFixture fixture) {
        StringBuilder seen = new StringBuilder();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        Logger julRoot = Logger.getLogger("");
        Level originalLevel = julRoot.getLevel();
        Handler jul = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (WIRE_LOGGERS.contains(record.getLoggerName())) {
                    return;
                }
                synchronized (seen) {
                    seen.append(record.getMessage()).append(' ').append(String.valueOf(record.getParameters()))
                            .append(' ').append(record.getThrown() == null ? "" : stackTrace(record.getThrown()))
                            .append('\n');
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        julRoot.addHandler(jul);
        julRoot.setLevel(Level.FINEST);
        int operations = 0;
        try {
            Location scratch = fixture.newScratchLocation();
            for (StoreConfig config : fixture.fakeCredentialConfigs()) {
                seen.append(config).append('\n');
                try (Store store = Store.open(scratch, config)) {
                    seen.append(store).append('\n');
                    List<Runnable> attempts = List.of(
                            () -> store.write(scratch.resolve("a"), new byte[] {1}, PutMode.CREATE),
                            () -> store.stat(scratch.resolve("a")),
                            () -> store.read(scratch.resolve("missing")),
                            () -> store.copy(scratch.resolve("a"), scratch.resolve("b"), PutMode.CREATE),
                            () -> store.list(scratch).count(),
                            () -> store.deleteBatch(List.of(scratch.resolve("a"))),
                            () -> {
                                try {
                                    TemporaryPath path = new PrefixCopyCommit(store).fromFinal(scratch.resolve("step_1"));
                                    seen.append(path).append('\n');
                                    path.createBlocking();
                                    path.commitBlocking();
                                } catch (io.atomiccheckpoint.atomicity.ValidationError e) {
                                    throw new IllegalStateException(e);
                                }
                            });
                    for (Runnable attempt : attempts) {
                        operations++;
                        try {
                            attempt.run();
                        } catch (RuntimeException e) {
                            seen.append(stackTrace(e)).append('\n');
                        }
                    }
                } catch (RuntimeException openFailed) {
                    seen.append(stackTrace(openFailed)).append('\n');
                }
            }
        } finally {
            System.setErr(originalErr);
            julRoot.removeHandler(jul);
            julRoot.setLevel(originalLevel);
        }
        seen.append(stderr.toString(StandardCharsets.UTF_8));
        assertThat(operations).isGreaterThan(0);
        for (String secret : fixture.fakeSecrets()) {
            assertThat(seen.toString()).as("output of " + fixture.name()).doesNotContain(secret);
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
