package io.atomiccheckpoint.gcs.testing;

import com.google.api.client.http.javanet.ConnectionFactory;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.HttpStorageOptions;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.SocketException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An HTTP hook for the SDK's transport: records the URL of every request the client opens and can fail
 * the first few matching ones with a connection reset before they reach the emulator. It works below the SDK (the
 * real client, talking to the real emulator), for tests of retries and of what the store sends.
 */
public final class RecordingConnections implements ConnectionFactory {
    private final List<String> urls = new CopyOnWriteArrayList<>();
    private final Predicate<String> failWhen;
    private final AtomicInteger failuresLeft;

    private RecordingConnections(Predicate<String> failWhen, int failures) {
        this.failWhen = failWhen;
        this.failuresLeft = new AtomicInteger(failures);
    }

    /** Records only. */
    public static RecordingConnections recording() {
        return new RecordingConnections(url -> false, 0);
    }

    /** Records, and fails the first {@code failures} requests whose URL matches {@code failWhen}. */
    public static RecordingConnections failingFirst(int failures, Predicate<String> failWhen) {
        return new RecordingConnections(failWhen, failures);
    }

    @Override
    public HttpURLConnection openConnection(URL url) throws IOException {
        String text = url.toString();
        urls.add(text);
        if (failWhen.test(text) && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SocketException("Connection reset (injected)");
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
}
