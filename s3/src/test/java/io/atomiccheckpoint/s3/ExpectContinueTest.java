package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.LocalServers;
import io.atomiccheckpoint.s3.testing.RecordingInterceptor;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.PutMode;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code s3.expectContinue}: the SDK sends {@code Expect: 100-continue} with PutObject and UploadPart bodies of
 * 1 MiB and more; the setting turns it off for servers that mishandle it, and an upload that carried it and fails
 * the way such a server makes it fail says so.
 */
class ExpectContinueTest {
    private static final Location LOC = Location.parse("s3://bucket/key");
    /** Large enough to carry the header. */
    private static final byte[] BODY = new byte[2 * 1024 * 1024];

    private static Store recording(StoreConfig config, RecordingInterceptor wire) {
        return Store.of(S3ObjectStore.builder().config(config)
                .customizeClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(wire))).build());
    }

    @Test
    void putObjectCarriesExpectContinueUnlessTurnedOff() {
        RecordingInterceptor on = new RecordingInterceptor();
        RecordingInterceptor off = new RecordingInterceptor();
        Location root = S3MockStores.newScratchLocation();
        try (Store withExpect = recording(S3MockStores.config(), on);
                Store without = recording(S3MockStores.config().with("s3.expectContinue", "false"), off)) {
            withExpect.write(root.resolve("a"), BODY, PutMode.OVERWRITE);
            withExpect.write(root.resolve("small"), new byte[100], PutMode.OVERWRITE);
            without.write(root.resolve("b"), BODY, PutMode.OVERWRITE);
            assertThat(without.stat(root.resolve("b")).orElseThrow().size()).isEqualTo(BODY.length);
        }
        assertThat(on.sent("PutObject", root.resolve("a").key())).singleElement()
                .satisfies(s -> assertThat(s.header("Expect")).contains("100-continue"));
        assertThat(on.sent("PutObject", root.resolve("small").key())).singleElement()
                .satisfies(s -> assertThat(s.header("Expect")).isEmpty());
        assertThat(off.sent("PutObject", root.key())).singleElement()
                .satisfies(s -> assertThat(s.header("Expect")).isEmpty());
    }

    /** A server that never answers: the timeout names the header and the setting, unless it is off. */
    @Test
    void anUploadThatGetsNoAnswerNamesTheSetting() throws IOException {
        StoreConfig config = LocalServers.config(0).with("s3.timeout.attempt", "PT0.5S")
                .with("s3.timeout.operation", "PT20S");
        try (LocalServers.Silent silent = new LocalServers.Silent()) {
            StoreConfig here = config.with("s3.endpoint", "http://127.0.0.1:" + silent.port());
            try (Store store = Store.of(S3ObjectStore.open(here))) {
                assertThatThrownBy(() -> store.write(LOC, BODY, PutMode.OVERWRITE))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("Expect: 100-continue").hasMessageContaining("s3.expectContinue=false");
                // A small body carries no Expect header, so its failure does not blame it.
                assertThatThrownBy(() -> store.write(LOC, new byte[10], PutMode.OVERWRITE))
                        .isInstanceOf(StoreException.class).hasMessageNotContaining("Expect");
            }
            try (Store store = Store.of(S3ObjectStore.open(here.with("s3.expectContinue", "false")))) {
                assertThatThrownBy(() -> store.write(LOC, BODY, PutMode.OVERWRITE))
                        .isInstanceOf(StoreException.class).hasMessageNotContaining("Expect");
            }
        }
    }

    /** A server that answers 417 Expectation Failed: the message says what to turn off. */
    @Test
    void expectationFailedNamesTheSetting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = server.accept()) {
                            readHead(s.getInputStream());
                            OutputStream out = s.getOutputStream();
                            out.write(("HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\nConnection: close"
                                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            }, "expectation-failed");
            answering.setDaemon(true);
            answering.start();
            try (Store store = Store.of(S3ObjectStore.open(LocalServers.config(server.getLocalPort())))) {
                assertThatThrownBy(() -> store.write(LOC, BODY, PutMode.OVERWRITE))
                        .isInstanceOf(StoreException.class).hasMessageContaining("417")
                        .hasMessageContaining("s3.expectContinue=false");
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                return;
            }
        }
    }
}
