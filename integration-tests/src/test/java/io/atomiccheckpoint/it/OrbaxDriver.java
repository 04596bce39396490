package io.atomiccheckpoint.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.testkit.python.PythonEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Orbax itself (orbax-checkpoint from PyPI, pinned in {@code orbax/requirements.txt}), in one Python process that
 * answers JSON requests line by line ({@code orbax/orbax_driver.py} says which), on local paths and on {@code gs://}
 * paths of the GCS emulator. The environment is installed by testkit's {@link PythonEnvironment} on first use; if
 * it cannot be, {@link #start(String)} throws and the tests fail.
 */
final class OrbaxDriver implements AutoCloseable {
    /** The release the interop table is about. */
    static final String ORBAX_VERSION = "0.12.4";
    private static final JsonFactory JSON = new JsonFactory();
    private static final long ANSWER_TIMEOUT_SECONDS = 120;
    private static final int STDERR_TAIL_LINES = 40;
    private static final PythonEnvironment ENVIRONMENT = new PythonEnvironment("orbax-checkpoint " + ORBAX_VERSION
            + " for OrbaxInteropTest", "orbax-checkpoint-" + ORBAX_VERSION,
            PythonEnvironment.requirementsResource(OrbaxDriver.class, "/orbax/requirements.txt"),
            "import orbax.checkpoint, jax, gcsfs; assert orbax.checkpoint.__version__ == '" + ORBAX_VERSION + "'");

    private final Process process;
    private final Path script;
    private final BufferedReader answers;
    private final OutputStream requests;
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private OrbaxDriver(Process process, Path script) {
        this.process = process;
        this.script = script;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = process.getOutputStream();
        Thread pump = new Thread(this::pumpStderr, "orbax-driver-stderr");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Installs Orbax if the cache lacks it and starts the driver, with every {@code gs://} path it is given served by
     * the GCS emulator at {@code gcsEndpoint} ({@code http://127.0.0.1:PORT}).
     */
    static OrbaxDriver start(String gcsEndpoint) {
        Path python = ENVIRONMENT.python();
        try {
            Path script = Files.createTempFile("orbax_driver", ".py");
            try (InputStream in = OrbaxDriver.class.getResourceAsStream("/orbax/orbax_driver.py")) {
                if (in == null) {
                    throw new IllegalStateException("orbax/orbax_driver.py is not on the test classpath");
                }
                Files.write(script, in.readAllBytes());
            }
            ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString());
            // jax on CPU only, quietly, and no accelerator probing.
            pb.environment().put("JAX_PLATFORMS", "cpu");
            pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
            pb.environment().put("PYTHONUNBUFFERED", "1");
            pointGcsAtTheEmulator(pb.environment(), gcsEndpoint);
            return new OrbaxDriver(pb.start(), script);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Orbax's driver with " + python, e);
        }
    }

    /**
     * Orbax reaches {@code gs://} by two clients: its paths (markers, metadata, listings) through etils epath and
     * gcsfs, its arrays through tensorstore's own GCS driver. Both are pointed at the emulator, and neither may look
     * for credentials: the default chains of both probe the GCE metadata server (a request off loopback) and would
     * use a real account's token on a machine that has one.
     */
    private static void pointGcsAtTheEmulator(Map<String, String> env, String gcsEndpoint) {
        env.remove("GOOGLE_APPLICATION_CREDENTIALS");
        env.put("STORAGE_EMULATOR_HOST", gcsEndpoint);
        // Anonymous, and no listings cache: the driver is one long-lived process, and each probe must read the bucket
        // as a fresh reader would (gcsfs's listings cache has no expiry by default).
        env.put("FSSPEC_GCS", "{\"token\": \"anon\", \"use_listings_cache\": false}");
        // gcsfs 2026.10 by default asks the Storage Control gRPC API for the bucket type; the emulator has no such
        // API, and the client kept retrying a TLS handshake against its plain-HTTP port for over 120 s. The plain
        // JSON API client remains.
        env.put("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false");
        env.put("TENSORSTORE_GCS_HTTP_URL", gcsEndpoint);
        // tensorstore's fixed-token provider: no credential lookup; the emulator ignores the token's value.
        env.put("GOOGLE_AUTH_TOKEN_FOR_TESTING", "emulator-ignores-this");
    }

    /** Sends one request and returns the answer's fields; fails on an error answer, a dead driver or a timeout. */
    Map<String, Object> ask(Map<String, ?> request) {
        String line = toJson(request);
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                requests.flush();
                return answers.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String text;
        try {
            text = answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Orbax's driver did not answer " + Messages.quote(line) + " within "
                    + ANSWER_TIMEOUT_SECONDS + " s; its stderr:\n" + stderr());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Orbax's driver failed on " + Messages.quote(line) + ": "
                    + e.getCause() + "; its stderr:\n" + stderr(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Orbax's driver", e);
        }
        if (text == null) {
            throw new IllegalStateException("Orbax's driver exited before answering " + Messages.quote(line)
                    + "; its stderr:\n" + stderr());
        }
        Map<String, Object> fields = parseObject(text);
        if (!Boolean.TRUE.equals(fields.get("ok"))) {
            throw new IllegalStateException("Orbax answered " + Messages.quote(line) + " with an error: "
                    + Messages.quote(fields.get("error")));
        }
        return fields;
    }

    private void pumpStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // The driver is gone; what it printed is in the tail.
        }
    }

    private String stderr() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    @Override
    public void close() {
        try {
            requests.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            script.toFile().delete();
        }
    }

    // ------------------------------------------------------------------------------------------- JSON

    private static String toJson(Map<String, ?> request) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, ?> e : request.entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else {
            g.writeString(String.valueOf(value));
        }
    }

    private static Map<String, Object> parseObject(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("Orbax's driver printed a line that is not a JSON object: "
                        + Messages.quote(text));
            }
            return readObject(p);
        } catch (IOException e) {
            throw new IllegalStateException("Orbax's driver printed a line that is not JSON: " + Messages.quote(text), e);
        }
    }

    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.getCurrentName();
            p.nextToken();
            out.put(name, readValue(p));
        }
        return out;
    }

    private static Object readValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT:
                return readObject(p);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                return list;
            }
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                return p.getText();
        }
    }
}
