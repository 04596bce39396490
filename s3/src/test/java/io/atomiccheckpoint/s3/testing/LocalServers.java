package io.atomiccheckpoint.s3.testing;

import io.atomiccheckpoint.store.StoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Misbehaving HTTP servers on 127.0.0.1, for failures S3Mock cannot produce: one that accepts connections and
 * never answers, and one that sends the headers and part of a body, then, when the test says so, cuts the
 * connection.
 */
public final class LocalServers {
    private LocalServers() {
    }

    /** Settings for a store pointing at {@code port} on 127.0.0.1: path-style, anonymous, one attempt. */
    public static StoreConfig config(int port) {
        return StoreConfig.empty().with("s3.endpoint", "http://127.0.0.1:" + port).with("s3.region", "us-east-1")
                .with("s3.pathStyle", "true").with("s3.credentials", "anonymous").with("s3.retry.maxAttempts", "1");
    }

    /** Accepts connections and never answers; closing it closes every connection. */
    public static final class Silent implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final CountDownLatch firstConnection = new CountDownLatch(1);

        public Silent() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                        firstConnection.countDown();
                    }
                } catch (IOException closed) {
                    // close() ends the loop.
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        public int port() {
            return server.getLocalPort();
        }

        /** Waits until a client connected; false if none did in time. */
        public boolean awaitConnection(long timeout, TimeUnit unit) throws InterruptedException {
            return firstConnection.await(timeout, unit);
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /**
     * Answers the first request with 200, a Content-Length of {@code declared} bytes and the first {@code sent}
     * of them, then holds the connection until {@link #cut()}, which closes it.
     */
    public static final class HalfAnswer implements AutoCloseable {
        private final ServerSocket server;
        private final CountDownLatch cut = new CountDownLatch(1);
        private volatile Socket connection;

        public HalfAnswer(int declared, int sent) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread handler = new Thread(() -> {
                try (Socket s = server.accept()) {
                    connection = s;
                    readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + declared
                            + "\r\nETag: \"0123456789abcdef0123456789abcdef\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[sent]);
                    out.flush();
                    cut.await(60, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException ignored) {
                    // The test has failed already, or close() ended it.
                }
            }, "half-answer-server");
            handler.setDaemon(true);
            handler.start();
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

        public int port() {
            return server.getLocalPort();
        }

        /** Cuts the connection, mid-body. */
        public void cut() {
            cut.countDown();
        }

        @Override
        public void close() throws IOException {
            cut.countDown();
            server.close();
            Socket s = connection;
            if (s != null) {
                s.close();
            }
        }
    }
}
