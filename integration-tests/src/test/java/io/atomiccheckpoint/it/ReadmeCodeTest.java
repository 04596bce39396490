package io.atomiccheckpoint.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Compiles every {@code java} code block of the README against the built artifacts, so the code a new user
 * copies compiles as shown. Each block is a whole compilation unit; the class name is taken from it.
 */
class ReadmeCodeTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("(?m)^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)");

    @Test
    void everyJavaBlockInTheReadmeCompiles() throws IOException {
        Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher blocks = BLOCK.matcher(text);
        Path out = Files.createDirectories(Path.of("target", "readme-code"));
        List<Path> sources = new ArrayList<>();
        while (blocks.find()) {
            String code = blocks.group(1);
            Matcher name = CLASS.matcher(code);
            assertThat(name.find()).as("a README java block declares a class:\n" + code).isTrue();
            Path source = out.resolve(name.group(1) + ".java");
            Files.writeString(source, code, StandardCharsets.UTF_8);
            sources.add(source);
        }
        assertThat(sources).as("java blocks in the README").isNotEmpty();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            boolean ok = compiler.getTask(diagnostics, files, null, List.of("-classpath",
                    System.getProperty("java.class.path"), "-d", out.toString(), "-Xlint:all", "-Werror"), null,
                    units).call();
            assertThat(ok).as("README code compiles:\n" + diagnostics).isTrue();
        }
    }
}
