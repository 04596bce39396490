package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.azure.AzureStoreSettings;
import io.atomiccheckpoint.gcs.GcsSettings;
import io.atomiccheckpoint.s3.S3Settings;
import io.atomiccheckpoint.store.Setting;
import io.atomiccheckpoint.store.StoreConfig;
import io.atomiccheckpoint.store.fs.FileSystemObjectStore;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The store settings of one command, from three sources, each overriding the one before: a properties file
 * ({@code --settings FILE}, else the file named by {@value #FILE_VARIABLE}), environment variables
 * ({@code ATOMIC_CHECKPOINT_} and the key in upper case with dots as underscores, for example
 * {@code ATOMIC_CHECKPOINT_S3_ENDPOINT} for {@code s3.endpoint}), and {@code -s key=value} flags. The keys are
 * the library's (SETTINGS.md); the SDKs' own variables (AWS_*, GOOGLE_APPLICATION_CREDENTIALS, AZURE_*) apply
 * as in the library.
 */
final class StoreSettings {
    /** The environment variable that names a settings file when {@code --settings} is not given. */
    static final String FILE_VARIABLE = "ATOMIC_CHECKPOINT_SETTINGS";
    static final String PREFIX = "ATOMIC_CHECKPOINT_";

    /** Every key a store on the classpath knows, for the environment's names. */
    static final List<Setting<?>> KNOWN = Stream.of(FileSystemObjectStore.SETTINGS, GcsSettings.SETTINGS,
            S3Settings.SETTINGS, AzureStoreSettings.SETTINGS).flatMap(List::stream).toList();

    private StoreSettings() {
    }

    /** The environment variable for {@code key}. */
    static String variableFor(String key) {
        return PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    static StoreConfig resolve(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new TreeMap<>();
        Path settingsFile = file != null ? file : env.containsKey(FILE_VARIABLE) ? Path.of(env.get(FILE_VARIABLE)) : null;
        if (settingsFile != null) {
            values.putAll(read(settingsFile));
        }
        for (Setting<?> s : KNOWN) {
            String v = env.get(variableFor(s.key()));
            if (v != null) {
                values.put(s.key(), v);
            }
        }
        values.putAll(flags);
        return StoreConfig.of(values);
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            // The path is the user's own argument; the file's content (secrets) is never quoted.
            throw new UncheckedIOException("cannot read the settings file " + file, e);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return values;
    }
}
