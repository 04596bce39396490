package io.atomiccheckpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomiccheckpoint.s3.testing.LocalStackServer;
import io.atomiccheckpoint.s3.testing.LocalStackStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The LocalStack launcher: installed once into the cache, listening on 127.0.0.1 only, and its check works. */
class LocalStackServerTest {
    @Test
    void theSharedServerListensOnItsLoopbackPortOnlyAndIsInstalledInTheCache() throws Exception {
        LocalStackServer server = LocalStackStores.server();
        assertThat(server.isRunning()).isTrue();
        ProcessHandle process = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("localstack.runtime.main")).orElse(false))
                .filter(p -> {
                    try {
                        return LocalStackServer.boundSockets(p).stream().anyMatch(s -> s.port() == server.port());
                    } catch (java.io.IOException e) {
                        return false;
                    }
                })
                .findFirst().orElseThrow();
        assertThat(LocalStackServer.boundSockets(process)).isNotEmpty()
                .allSatisfy(s -> assertThat(s.loopback()).as(s.toString()).isTrue())
                .allSatisfy(s -> assertThat(s.port()).as(s.toString()).isEqualTo(server.port()));
        assertThat(LocalStackServer.installDir().getFileName().toString()).startsWith("localstack-"
                + LocalStackServer.VERSION + "-");
        assertThat(LocalStackServer.installDir().resolve(".installed")).exists();
        assertThat(Files.readString(LocalStackServer.installDir().resolve("requirements.txt")))
                .contains("localstack-core==" + LocalStackServer.VERSION);
    }

    /**
     * The check the launcher runs while LocalStack starts does see a listener on any address but 127.0.0.1 (and
     * ::1). Shown with 127.0.0.2, which is on the loopback interface too, so that this test itself opens nothing
     * beyond it.
     */
    @Test
    void theLoopbackCheckSeesAListenerOnAnyOtherAddress() throws Exception {
        Process other = new ProcessBuilder(LocalStackServer.ensureInstalled().toString(), "-c",
                "import socket\ns = socket.socket()\ns.bind(('127.0.0.2', 0))\ns.listen()\nprint(s.getsockname()[1],"
                        + " flush=True)\ninput()").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                StandardCharsets.UTF_8))) {
            int port = Integer.parseInt(out.readLine().trim());
            assertThat(LocalStackServer.boundSockets(other.toHandle())).singleElement().satisfies(s -> {
                assertThat(s.port()).isEqualTo(port);
                assertThat(s.loopback()).isFalse();
                assertThat(s.toString()).isEqualTo("tcp 127.0.0.2:" + port);
            });
        } finally {
            other.destroy();
            other.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
