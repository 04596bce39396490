package io.atomiccheckpoint.gcs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.SocketException;
import java.util.List;
import java.util.Map;

/**
 * An HTTP connection whose request reaches the server and is processed, but whose response is lost: asking for
 * the status reads the whole response from the real connection, closes it and throws a connection reset. Used
 * below google-http-client (the GCS SDK's transport: {@link RecordingConnections}, the shared suite's fault
 * injection), so the SDK's retry meets its own earlier write, as after a real network failure on the way back.
 * Forwards the calls {@code NetHttpRequest} and {@code NetHttpResponse} make.
 */
public final class LostResponseConnection extends HttpURLConnection {
    private final HttpURLConnection real;

    public LostResponseConnection(HttpURLConnection real) {
        super(real.getURL());
        this.real = real;
    }

    private IOException lost() throws IOException {
        int status = real.getResponseCode();
        InputStream body = status >= 400 ? real.getErrorStream() : real.getInputStream();
        if (body != null) {
            // Drain it so the server has certainly finished with the request before the "network" fails.
            body.readAllBytes();
            body.close();
        }
        real.disconnect();
        return new SocketException("Connection reset (injected after the server answered " + status + ")");
    }

    @Override
    public int getResponseCode() throws IOException {
        throw lost();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        throw lost();
    }

    @Override
    public void connect() throws IOException {
        real.connect();
    }

    @Override
    public void disconnect() {
        real.disconnect();
    }

    @Override
    public boolean usingProxy() {
        return real.usingProxy();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return real.getOutputStream();
    }

    @Override
    public void setRequestMethod(String method) throws ProtocolException {
        real.setRequestMethod(method);
    }

    @Override
    public String getRequestMethod() {
        return real.getRequestMethod();
    }

    @Override
    public void setRequestProperty(String key, String value) {
        real.setRequestProperty(key, value);
    }

    @Override
    public void addRequestProperty(String key, String value) {
        real.addRequestProperty(key, value);
    }

    @Override
    public String getRequestProperty(String key) {
        return real.getRequestProperty(key);
    }

    @Override
    public Map<String, List<String>> getRequestProperties() {
        return real.getRequestProperties();
    }

    @Override
    public void setConnectTimeout(int timeout) {
        real.setConnectTimeout(timeout);
    }

    @Override
    public int getConnectTimeout() {
        return real.getConnectTimeout();
    }

    @Override
    public void setReadTimeout(int timeout) {
        real.setReadTimeout(timeout);
    }

    @Override
    public int getReadTimeout() {
        return real.getReadTimeout();
    }

    @Override
    public void setDoOutput(boolean doOutput) {
        real.setDoOutput(doOutput);
    }

    @Override
    public boolean getDoOutput() {
        return real.getDoOutput();
    }

    @Override
    public void setDoInput(boolean doInput) {
        real.setDoInput(doInput);
    }

    @Override
    public void setUseCaches(boolean useCaches) {
        real.setUseCaches(useCaches);
    }

    @Override
    public void setInstanceFollowRedirects(boolean follow) {
        real.setInstanceFollowRedirects(follow);
    }

    @Override
    public void setFixedLengthStreamingMode(long contentLength) {
        real.setFixedLengthStreamingMode(contentLength);
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
        real.setFixedLengthStreamingMode(contentLength);
    }

    @Override
    public void setChunkedStreamingMode(int chunkLength) {
        real.setChunkedStreamingMode(chunkLength);
    }
}
