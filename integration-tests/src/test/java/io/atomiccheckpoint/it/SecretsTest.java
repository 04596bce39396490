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
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opens each cloud store with recognisable fake credentials, drives it into authentication failures and
 * ordinary errors, and checks that no secret appears in any log line (SLF4J on standard error and
 * java.util.logging), exception message or stack trace, or {@code toString}.
 *
 * <p>It runs in a JVM of its own (the {@code secrets-at-debug} execution in this module's POM) with SLF4J at DEBUG
 * for every logger, the library's and the SDKs' (AWS, Azure, Netty, reactor-netty), and java.util.logging captured
 * at FINEST (google-http-client, the GCS SDK), except the wire-level loggers listed in {@link #WIRE_LOGGERS}:
 * they print raw requests, headers or bodies (a GCS batch-delete body embeds each inner request's
 * {@code Authorization} header), a user has to switch them on explicitly, and the README warns against enabling
 * them in production. The test first checks that DEBUG is really on, so it cannot pass by seeing nothing.
 */
@Tag("debug-logging")
class SecretsTest {
    /** java.util.logging wire loggers, not captured. */
    static final Set<String> JUL_WIRE_LOGGERS = Set.of("sun.net.www.protocol.http.HttpURLConnection",
            "com.google.api.client.http.HttpTransport");
    /** SLF4J wire loggers, kept at WARN by the POM (checked below). */
    static final Set<String> SLF4J_WIRE_LOGGERS = Set.of("io.netty.handler.logging.LoggingHandler",
            "reactor.netty.http.client.HttpClient", "reactor.netty.http.client.HttpClientConnect", "org.apache.http.wire",
            "org.apache.http.headers");
    /** Every logger excluded, for the README. */
    static final Set<String> WIRE_LOGGERS = java.util.stream.Stream.concat(JUL_WIRE_LOGGERS.stream(),
            SLF4J_WIRE_LOGGERS.stream()).collect(Collectors.toUnmodifiableSet());

    static List<StoreFixture> fixtures() {
        return Fixtures.all().stream().filter(f -> !f.fakeSecrets().isEmpty()).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fakeCredentialsAppearNowhere(StoreFixture fixture) {
        assertThat(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).as("SLF4J runs at DEBUG here (run"
                + " SecretsTest through its own surefire execution)").isEqualTo("debug");
        for (String wire : SLF4J_WIRE_LOGGERS) {
            assertThat(System.getProperty("org.slf4j.simpleLogger.log." + wire)).as(wire).isEqualTo("warn");
        }
        StringBuilder seen = new StringBuilder();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        Logger julRoot = Logger.getLogger("");
        Level originalLevel = julRoot.getLevel();
        java.util.concurrent.atomic.AtomicInteger detailed = new java.util.concurrent.atomic.AtomicInteger();
        Handler jul = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (JUL_WIRE_LOGGERS.contains(record.getLoggerName())) {
                    return;
                }
                if (record.getLevel().intValue() < Level.INFO.intValue()) {
                    detailed.incrementAndGet();
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
        String logged = stderr.toString(StandardCharsets.UTF_8);
        seen.append(logged);
        assertThat(operations).isGreaterThan(0);
        // Detailed lines were really written and captured (SLF4J DEBUG, or java.util.logging below INFO, which the
        // GCS SDK uses), so the check below saw what a user running at DEBUG sees.
        assertThat(logged.contains(" DEBUG ") || detailed.get() > 0).as("DEBUG/FINE output of " + fixture.name()
                + ": " + detailed.get() + " java.util.logging records below INFO").isTrue();
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
