package io.atomiccheckpoint.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Toxiproxy server on loopback (installed by {@code run.sh} with {@code go install}), driven through its
 * HTTP API: one proxy per emulator, each with a latency toxic on the responses, so every request pays the
 * round trip a cloud would add.
 */
final class Toxiproxy implements AutoCloseable {
    private static final Pattern LISTEN = Pattern.compile("\"listen\"\\s*:\\s*\"[^\"]*:(\\d+)\"");

    private final Process process;
    private final int apiPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Toxiproxy(Process process, int apiPort) {
        this.process = process;
        this.apiPort = apiPort;
    }

    /** Starts {@code binary} and waits until its API answers. */
    static Toxiproxy start(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Toxiproxy server not found at " + binary
                    + "; run benchmarks/run.sh, which installs it with go install");
        }
        try {
            int port = freePort();
            Process p = new ProcessBuilder(binary.toString(), "-host", "127.0.0.1", "-port", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(Files.createTempFile("toxiproxy", ".log").toFile())
                    .start();
            Toxiproxy proxy = new Toxiproxy(p, port);
            // An interrupted run (Ctrl-C) must not leave the proxy holding its ports.
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "toxiproxy-stop"));
            proxy.awaitReady();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Toxiproxy " + binary + ": " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Adds a proxy on {@code listenPort} (0: any free port) in front of {@code upstreamPort}, delaying every
     * response by {@code latencyMillis} (0: no toxic); returns the port it listens on.
     */
    int proxy(String name, int listenPort, int upstreamPort, int latencyMillis) {
        String created = call("POST", "/proxies", "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:" + listenPort
                + "\",\"upstream\":\"127.0.0.1:" + upstreamPort + "\",\"enabled\":true}");
        Matcher m = LISTEN.matcher(created);
        if (!m.find()) {
            throw new IllegalStateException("Toxiproxy did not say where proxy " + name + " listens: " + created);
        }
        if (latencyMillis > 0) {
            call("POST", "/proxies/" + name + "/toxics", "{\"name\":\"latency\",\"type\":\"latency\","
                    + "\"stream\":\"downstream\",\"toxicity\":1.0,\"attributes\":{\"latency\":" + latencyMillis
                    + ",\"jitter\":0}}");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Removes a proxy, freeing its port. */
    void remove(String name) {
        call("DELETE", "/proxies/" + name, null);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Toxiproxy exited with code " + process.exitValue());
            }
            try {
                call("GET", "/version", null);
                return;
            } catch (IllegalStateException notYet) {
                pause();
            }
        }
        throw new IllegalStateException("Toxiproxy API did not answer on port " + apiPort + " within 20 s");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Toxiproxy", e);
        }
    }

    private String call(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(10));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("Toxiproxy " + method + " " + path + " answered " + r.statusCode()
                        + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("Toxiproxy " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling Toxiproxy", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
