package io.atomiccheckpoint.gcs.testing;

import com.google.api.client.http.javanet.ConnectionFactory;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.HttpStorageOptions;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An HTTP hook for the SDK's transport: records the URL of every request the client opens, and can fault the
 * first few matching ones before they reach the emulator, either with a connection reset or with an HTTP error
 * answer (a status and a GCS error reason, served by a small loopback server). It works below the SDK (the real
 * client, talking to the real emulator), for tests of retries, of error kinds and of what the store sends.
 */
public final class RecordingConnections implements ConnectionFactory {
    private final List<String> urls = new CopyOnWriteArrayList<>();
    private final Predicate<String> failWhen;
    private final AtomicInteger failuresLeft;
    private final int status;
    private final String reason;
    private final Predicate<String> keepBodyWhen;
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    /** {@link #status} for a reset before the request is sent. */
    private static final int RESET = 0;
    /** {@link #status} for a response lost after the request took effect. */
    private static final int LOST = -1;

    private RecordingConnections(Predicate<String> failWhen, int failures, int status, String reason) {
        this(failWhen, failures, status, reason, url -> false);
    }

    private RecordingConnections(Predicate<String> failWhen, int failures, int status, String reason,
            Predicate<String> keepBodyWhen) {
        this.keepBodyWhen = keepBodyWhen;
        this.failWhen = failWhen;
        this.failuresLeft = new AtomicInteger(failures);
        this.status = status;
        this.reason = reason;
    }

    /** Records only. */
    public static RecordingConnections recording() {
        return new RecordingConnections(url -> false, 0, RESET, null);
    }

    /** Records, and resets the connection of the first {@code failures} requests whose URL matches {@code failWhen}. */
    public static RecordingConnections failingFirst(int failures, Predicate<String> failWhen) {
        return new RecordingConnections(failWhen, failures, RESET, null);
    }

    /**
     * Records, and lets the first {@code failures} requests whose URL matches {@code failWhen} reach the emulator
     * and take effect, but resets the connection before their response is read: a response lost on the way back.
     */
    public static RecordingConnections losingResponseOfFirst(int failures, Predicate<String> failWhen) {
        return new RecordingConnections(failWhen, failures, LOST, null);
    }

    /**
     * Records, and answers the first {@code failures} requests whose URL matches {@code failWhen} with HTTP
     * {@code status} and a GCS JSON error of {@code reason}, as the service would; later ones reach the emulator.
     */
    public static RecordingConnections answeringFirst(int failures, Predicate<String> failWhen, int status,
            String reason) {
        return new RecordingConnections(failWhen, failures, status, reason);
    }

    /**
     * Records, and keeps the body of every request whose URL matches {@code keepBodyWhen}: such requests go through
     * a loopback relay that stores the body and passes request and response on unchanged. For tests of what a
     * JSON batch request carries inside (its sub-requests' URLs and conditions).
     */
    public static RecordingConnections keepingBodies(Predicate<String> keepBodyWhen) {
        return new RecordingConnections(url -> false, 0, RESET, null, keepBodyWhen);
    }

    /** The bodies kept so far ({@link #keepingBodies}), in order, as UTF-8 text. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    @Override
    public HttpURLConnection openConnection(URL url) throws IOException {
        String text = url.toString();
        urls.add(text);
        if (keepBodyWhen.test(text)) {
            return (HttpURLConnection) Relay.through(url, bodies).openConnection();
        }
        if (failWhen.test(text) && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (status == RESET) {
                throw new SocketException("Connection reset (injected)");
            }
            if (status == LOST) {
                return new LostResponseConnection((HttpURLConnection) url.openConnection());
            }
            return (HttpURLConnection) ErrorServer.redirect(url, status, reason).openConnection();
        }
        return (HttpURLConnection) url.openConnection();
    }

    /** The URLs requested so far, in order. */
    public List<String> urls() {
        return List.copyOf(urls);
    }

    /** Failures not injected yet. */
    public int failuresLeft() {
        return failuresLeft.get();
    }

    /** A customizer for {@code GcsObjectStore.Builder#customizeOptions} that routes the client through this hook. */
    public UnaryOperator<HttpStorageOptions.Builder> install() {
        NetHttpTransport transport = new NetHttpTransport.Builder().setConnectionFactory(this).build();
        return builder -> builder.setTransportOptions(
                HttpTransportOptions.newBuilder().setHttpTransportFactory(() -> transport).build());
    }

    /**
     * A loopback server, shared by the JVM, that passes each request on to the host and port named in the first
     * path segment and answers with what came back; a request's body is added to the list its registration names.
     */
    private static final class Relay {
        private static final java.util.concurrent.ConcurrentMap<String, List<String>> SINKS =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        private static final HttpServer SERVER = start();

        static URL through(URL original, List<String> sink) {
            String id = java.util.UUID.randomUUID().toString();
            SINKS.put(id, sink);
            return ErrorServer.toUrl("http://127.0.0.1:" + SERVER.getAddress().getPort() + "/" + id + "/"
                    + original.getHost() + ":" + original.getPort() + original.getFile());
        }

        private static HttpServer start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                server.createContext("/", exchange -> {
                    try (exchange; InputStream in = exchange.getRequestBody()) {
                        byte[] body = in.readAllBytes();
                        String raw = exchange.getRequestURI().getRawPath();
                        String[] parts = raw.split("/", 4);
                        List<String> sink = SINKS.remove(parts[1]);
                        if (sink != null) {
                            sink.add(new String(body, StandardCharsets.UTF_8));
                        }
                        String query = exchange.getRequestURI().getRawQuery();
                        URI target = URI.create("http://" + parts[2] + "/" + parts[3] + (query == null ? "" : "?" + query));
                        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(target)
                                .method(exchange.getRequestMethod(),
                                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
                        String type = exchange.getRequestHeaders().getFirst("Content-Type");
                        if (type != null) {
                            request.header("Content-Type", type);
                        }
                        java.net.http.HttpResponse<byte[]> response = CLIENT.send(request.build(),
                                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                        response.headers().firstValue("Content-Type")
                                .ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                        byte[] answer = response.body();
                        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
                        exchange.getResponseBody().write(answer);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                server.setExecutor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "gcs-request-relay");
                    t.setDaemon(true);
                    return t;
                }));
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the loopback relay", e);
            }
        }
    }

    /**
     * A loopback server, shared by the JVM, that answers every request with the status and reason named in the
     * first two segments of its path, and a GCS-style JSON error body. Requests are redirected to it with the
     * original path and query after those segments.
     */
    private static final class ErrorServer {
        private static final HttpServer SERVER = start();

        static URL redirect(URL original, int status, String reason) {
            String target = "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/" + status + "/" + reason
                    + original.getFile();
            return toUrl(target);
        }

        private static URL toUrl(String text) {
            try {
                return URI.create(text).toURL();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static HttpServer start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                server.createContext("/", exchange -> {
                    try (exchange; InputStream body = exchange.getRequestBody()) {
                        // Drain the request, so the client never fails writing it before it reads the answer.
                        body.transferTo(OutputStream.nullOutputStream());
                        String[] parts = exchange.getRequestURI().getPath().split("/", 4);
                        int status = Integer.parseInt(parts[1]);
                        String json = "{\"error\":{\"code\":" + status + ",\"message\":\"injected HTTP " + status
                                + "\",\"errors\":[{\"domain\":\"global\",\"reason\":\"" + parts[2]
                                + "\",\"message\":\"injected HTTP " + status + "\"}]}}";
                        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
                        exchange.sendResponseHeaders(status, bytes.length);
                        exchange.getResponseBody().write(bytes);
                    }
                });
                server.setExecutor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "injected-gcs-errors");
                    t.setDaemon(true);
                    return t;
                }));
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the loopback error server", e);
            }
        }
    }
}
