package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command takes: store settings, JSON output and progress. */
final class CommonOptions {
    /** When progress bars are drawn. */
    enum ProgressMode { auto, always, never }

    @Option(names = {"-s", "--setting"}, paramLabel = "KEY=VALUE",
            description = "a store setting (see SETTINGS.md), for example -s s3.region=eu-west-1; repeatable")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--settings", paramLabel = "FILE",
            description = "a properties file of store settings (default: the file named by $ATOMIC_CHECKPOINT_SETTINGS)")
    Path settingsFile;

    @Option(names = "--json", description = "print JSON for scripts instead of text")
    boolean json;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "progress on stderr: auto (only on a terminal), always or never")
    ProgressMode progress = ProgressMode.auto;

    StoreConfig config(Main.Console console) {
        return StoreSettings.resolve(settingsFile, console.env(), settings);
    }

    Store open(Location location, Main.Console console) {
        return Store.open(location, config(console));
    }

    Progress progress(Main.Console console) {
        boolean draw = progress == ProgressMode.always || (progress == ProgressMode.auto && console.terminal());
        return draw ? new Progress(console.err()) : Progress.NONE;
    }

    /**
     * A location from the command line: a URL ({@code gs://b/k}, {@code file:///abs}) or, without a scheme, a local
     * path, which is made absolute.
     */
    static Location location(String argument) {
        if (argument.contains("://")) {
            return Location.parse(argument);
        }
        return Location.of(Path.of(argument).toAbsolutePath().normalize());
    }
}
