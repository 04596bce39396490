package io.atomiccheckpoint.s3.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Adobe S3Mock server in a child JVM ({@code java -jar s3mock-<version>-exec.jar}), listening only on
 * 127.0.0.1 on a port the server picks, with its own temporary data directory (in {@code /dev/shm} where it
 * exists). Its Spring Boot classpath
 * stays out of the tests' and the product's. One instance of the current version serves the whole JVM
 * ({@link #shared()}); a shutdown hook stops it.
 *
 * <p>The executable jars are fetched into {@code s3/target/s3mock} by the module's build (maven-dependency-plugin),
 * and their paths passed as the system properties {@value #JAR_PROPERTY} and {@value #LEGACY_JAR_PROPERTY}.
 * Another module reusing this launcher without those properties finds them in the local Maven repository.
 *
 * <p>Both S3Mock generations open a second, plain-HTTP connector on all interfaces besides the configured one.
 * A small Spring XML file, loaded with {@code spring.main.sources}, replaces that connector's bean (5.x) or the
 * whole web server factory (3.x) so that nothing listens beyond loopback.
 */
public final class S3MockServer implements AutoCloseable {
    /**
     * The S3Mock the suite runs on: enforces If-None-Match on PutObject and CompleteMultipartUpload (not on
     * CopyObject), If-Match on PutObject, CompleteMultipartUpload, GetObject and HeadObject, and
     * x-amz-copy-source-if-match on CopyObject and UploadPartCopy; its write conditions are not atomic under
     * concurrency ({@code S3MockGapsTest}).
     */
    public static final String VERSION = "5.2.0";
    /**
     * An older S3Mock that ignores If-None-Match and If-Match on writes: a real "store without conditional writes"
     * (it does enforce If-Match on reads and x-amz-copy-source-if-match, see {@code UnenforcingServerTest}).
     */
    public static final String LEGACY_VERSION = "3.12.0";
    static final String JAR_PROPERTY = "atomiccheckpoint.s3mock.jar";
    static final String LEGACY_JAR_PROPERTY = "atomiccheckpoint.s3mock.legacy.jar";

    private static final Logger LOG = LoggerFactory.getLogger(S3MockServer.class);
    private static final long START_TIMEOUT_SECONDS = 90;
    /**
     * S3Mock keeps every object as files and takes a lock per bucket while it writes them, so on a slow disk it
     * is bound by file I/O; where Linux offers a memory filesystem its data goes there.
     */
    private static final Path MEMORY_FS = Path.of("/dev/shm");
    private static final Pattern STARTED = Pattern.compile("(?:Tomcat|Jetty) started on ports? (\\d+)");
    private static S3MockServer shared;

    private final String version;
    private final Process process;
    private final Path workDir;
    private final int port;
    private final Deque<String> recentOutput;

    private S3MockServer(String version, Process process, Path workDir, int port, Deque<String> recentOutput) {
        this.version = version;
        this.process = process;
        this.workDir = workDir;
        this.port = port;
        this.recentOutput = recentOutput;
    }

    /** The current S3Mock for this JVM, started on first use, stopped when the JVM exits. */
    public static synchronized S3MockServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start(VERSION, List.of(S3MockStores.BUCKET, S3MockStores.SCALE_BUCKET));
            S3MockServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3mock-stop"));
        }
        return shared;
    }

    /** Starts a fresh server of {@code version} ({@link #VERSION} or {@link #LEGACY_VERSION}); the caller closes it. */
    public static S3MockServer start(String version, List<String> initialBuckets) {
        Path jar = locateJar(version);
        long started = System.nanoTime();
        Path workDir;
        try {
            workDir = Files.isDirectory(MEMORY_FS) && Files.isWritable(MEMORY_FS)
                    ? Files.createTempDirectory(MEMORY_FS, "s3mock-" + version + "-")
                    : Files.createTempDirectory("s3mock-" + version + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a data directory for S3Mock " + version, e);
        }
        boolean legacy = version.startsWith("3.");
        Path springXml = workDir.resolve("loopback-only.xml");
        Path log = workDir.resolve("s3mock.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.address=127.0.0.1");
        command.add("--server.port=0");
        command.add("--server.ssl.enabled=false");
        command.add("--spring.main.allow-bean-definition-overriding=true");
        command.add("--spring.main.sources=" + springXml.toUri());
        command.add("--spring.main.banner-mode=off");
        String storePrefix = legacy ? "com.adobe.testing.s3mock.domain." : "com.adobe.testing.s3mock.store.";
        command.add("--" + storePrefix + "root=" + workDir.resolve("data"));
        command.add("--" + storePrefix + "initial-buckets=" + String.join(",", initialBuckets));
        command.add("--" + storePrefix + "retain-files-on-exit=false");
        Process process;
        try {
            Files.writeString(springXml, legacy ? LEGACY_LOOPBACK_XML : LOOPBACK_XML, StandardCharsets.UTF_8);
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            deleteRecursively(workDir);
            throw new IllegalStateException("cannot start S3Mock " + version + " with " + command.get(0), e);
        }
        Deque<String> recent = new ArrayDeque<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, recent, port), "s3mock-" + version + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            int bound = port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("S3Mock {} listening on 127.0.0.1:{} after {} ms (data in {})", version, bound,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), workDir);
            return new S3MockServer(version, process, workDir, bound, recent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy(process, workDir);
            throw new IllegalStateException("interrupted while starting S3Mock " + version, e);
        } catch (ExecutionException | TimeoutException e) {
            destroy(process, workDir);
            String output;
            synchronized (recent) {
                output = String.join("\n", recent);
            }
            throw new IllegalStateException("S3Mock " + version + " did not start within " + START_TIMEOUT_SECONDS
                    + " s (exit " + (process.isAlive() ? "none" : process.exitValue()) + "); its last output:\n" + output,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /** Copies the child's output to its log file, remembers the tail for error messages, and spots the port. */
    private static void pump(Process process, Path log, Deque<String> recent, CompletableFuture<Integer> port) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (recent) {
                    recent.addLast(line);
                    if (recent.size() > 60) {
                        recent.removeFirst();
                    }
                }
                Matcher m = STARTED.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("S3Mock exited before it reported its port"));
    }

    private static Path locateJar(String version) {
        String property = version.equals(VERSION) ? JAR_PROPERTY : version.equals(LEGACY_VERSION) ? LEGACY_JAR_PROPERTY : null;
        String configured = property == null ? null : System.getProperty(property);
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path fromRepo = Path.of(repo, "com", "adobe", "testing", "s3mock", version, "s3mock-" + version + "-exec.jar");
        if (Files.isRegularFile(fromRepo)) {
            return fromRepo;
        }
        throw new IllegalStateException("the S3Mock " + version + " executable jar was not found (system property "
                + property + " = " + configured + ", local repository " + fromRepo + "); the s3 module's build fetches it"
                + " with maven-dependency-plugin (com.adobe.testing:s3mock:" + version + ":jar:exec): run the tests through"
                + " Maven, for example mvn -pl s3 verify");
    }

    /** The endpoint URL for {@code s3.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String version() {
        return version;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        destroy(process, workDir);
    }

    private static void destroy(Process process, Path workDir) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(workDir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }

    @Override
    public String toString() {
        return "S3Mock " + version + " at " + endpoint();
    }

    /** S3Mock 5.x: its extra HTTP connector is the bean "httpConnector"; this one binds to loopback on a free port. */
    private static final String LOOPBACK_XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<beans xmlns=\"http://www.springframework.org/schema/beans\"\n"
            + "       xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
            + "       xsi:schemaLocation=\"http://www.springframework.org/schema/beans"
            + " https://www.springframework.org/schema/beans/spring-beans.xsd\">\n"
            + "  <bean id=\"httpConnector\" class=\"org.apache.catalina.connector.Connector\">\n"
            + "    <property name=\"port\" value=\"0\"/>\n"
            + "  </bean>\n"
            + "  <bean class=\"org.springframework.beans.factory.config.MethodInvokingBean\">\n"
            + "    <property name=\"targetObject\" ref=\"httpConnector\"/>\n"
            + "    <property name=\"targetMethod\" value=\"setProperty\"/>\n"
            + "    <property name=\"arguments\"><list><value>address</value><value>127.0.0.1</value></list></property>\n"
            + "  </bean>\n"
            + "</beans>\n";

    /** S3Mock 3.x adds its extra connector inside its web server factory bean; a plain Jetty factory has none. */
    private static final String LEGACY_LOOPBACK_XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<beans xmlns=\"http://www.springframework.org/schema/beans\"\n"
            + "       xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
            + "       xsi:schemaLocation=\"http://www.springframework.org/schema/beans"
            + " https://www.springframework.org/schema/beans/spring-beans.xsd\">\n"
            + "  <bean id=\"webServerFactory\""
            + " class=\"org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory\"/>\n"
            + "</beans>\n";
}
