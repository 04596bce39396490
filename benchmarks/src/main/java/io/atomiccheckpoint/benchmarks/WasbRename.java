package io.atomiccheckpoint.benchmarks;

import com.microsoft.azure.storage.OperationContext;
import com.microsoft.azure.storage.SendingRequestEvent;
import com.microsoft.azure.storage.StorageEvent;
import io.atomiccheckpoint.location.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.VersionInfo;

/**
 * hadoop-azure's WASB connector on Azurite. ABFS cannot run here: it needs the Data Lake (dfs) endpoint, which
 * Azurite does not emulate. WASB's emulator mode always connects to 127.0.0.1:10000 (the legacy SDK's
 * development account), so the harness puts a Toxiproxy proxy on that port in front of Azurite. Requests are
 * counted by the legacy SDK's global sending-request event.
 */
final class WasbRename extends ConnectorRename {
    /** The port WASB's emulator mode is hard-wired to. */
    static final int EMULATOR_PORT = 10000;
    private static final String EMULATOR_ACCOUNT = "storageemulator";
    static final int RENAME_THREADS = 10;

    private final StorageEvent<SendingRequestEvent> counter;

    WasbRename(String container, RequestCounts wire) {
        this(container, counter(wire));
    }

    private WasbRename(String container, StorageEvent<SendingRequestEvent> counter) {
        super(open(container, counter), "WASB");
        this.counter = counter;
    }

    private static StorageEvent<SendingRequestEvent> counter(RequestCounts wire) {
        return new StorageEvent<>() {
            @Override
            public void eventOccurred(SendingRequestEvent event) {
                wire.add(kind((HttpURLConnection) event.getConnectionObject()));
            }
        };
    }

    private static FileSystem open(String container, StorageEvent<SendingRequestEvent> counter) {
        OperationContext.getGlobalSendingRequestEventHandler().addListener(counter);
        try {
            Configuration conf = new Configuration();
            // The default (0) renames one blob at a time; 10 matches S3A's fixed copy parallelism, the peer at its best.
            conf.setInt("fs.azure.rename.threads", RENAME_THREADS);
            return FileSystem.newInstance(URI.create("wasb://" + container + "@" + EMULATOR_ACCOUNT + "/"), conf);
        } catch (IOException e) {
            OperationContext.getGlobalSendingRequestEventHandler().removeListener(counter);
            throw new UncheckedIOException("cannot open WASB on the emulator", e);
        }
    }

    @Override
    public String name() {
        return "hadoop-azure " + VersionInfo.getVersion() + " WASB, fs.azure.rename.threads=" + RENAME_THREADS;
    }

    private static String kind(HttpURLConnection c) {
        String method = c.getRequestMethod();
        String query = c.getURL().getQuery() == null ? "" : c.getURL().getQuery();
        return switch (method) {
            case "HEAD" -> "head";
            case "GET" -> query.contains("comp=list") ? "list" : "get";
            case "PUT" -> c.getRequestProperty("x-ms-copy-source") != null ? "copy"
                    : query.contains("comp=lease") ? "lease" : query.contains("comp=metadata") ? "set-metadata" : "put";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
    }

    @Override
    Path path(Location location) {
        return new Path("wasb://" + location.bucket() + "@" + EMULATOR_ACCOUNT + "/" + location.key());
    }

    @Override
    void afterClose() {
        OperationContext.getGlobalSendingRequestEventHandler().removeListener(counter);
    }
}
