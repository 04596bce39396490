package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.s3.testing.S3MockStores;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every command on S3Mock (started by the s3 module's fixture on loopback), once: each invocation opens an S3 store,
 * which probes the bucket, so the details are tested on the filesystem only. The settings come the three ways a user
 * gives them: the endpoint and credentials from a properties file, the region from the environment, and the path
 * style from a flag.
 */
class S3MockCliTest extends CliFixture {
    private Path settingsFile;

    @Test
    void everyCommandInOneSession() {
        runEveryCommand();
    }

    @Override
    Location newRoot() {
        return S3MockStores.newScratchLocation();
    }

    @Override
    Store openStore() {
        return S3MockStores.open();
    }

    @Override
    List<String> settingArgs() {
        if (settingsFile == null) {
            StoreConfig config = S3MockStores.config();
            Properties file = new Properties();
            config.asMap().forEach((k, v) -> {
                if (!k.equals("s3.region") && !k.equals("s3.pathStyle")) {
                    file.setProperty(k, v);
                }
            });
            try {
                settingsFile = Files.createTempFile(local, "s3", ".properties");
                try (Writer w = Files.newBufferedWriter(settingsFile)) {
                    file.store(w, "S3Mock on loopback");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.of("--settings", settingsFile.toString(), "-s", "s3.pathStyle=true");
    }

    @Override
    Map<String, String> env() {
        return Map.of(StoreSettings.variableFor("s3.region"), "us-east-1");
    }
}
