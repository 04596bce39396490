package io.atomiccheckpoint.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@link BenchmarkMain}: {@code --quick}, {@code --stores filesystem,azure,gcs,s3},
 * {@code --regimes loopback,cloud-like}, {@code --out DIR}, {@code --toxiproxy BINARY}, {@code --latency-ms 50}.
 */
record Options(boolean quick, List<String> stores, List<Regime> regimes, Path out, Path toxiproxy, int latencyMillis,
        String command) {
    static Options parse(String[] args) {
        boolean quick = false;
        List<String> stores = List.of("filesystem", "azure", "gcs", "s3");
        List<Regime> regimes = List.of(Regime.LOOPBACK, Regime.CLOUD_LIKE);
        Path out = Path.of("benchmarks", "results");
        Path toxiproxy = null;
        int latency = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--stores" -> stores = List.of(value(args, ++i).split(","));
                case "--regimes" -> regimes = regimes(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--toxiproxy" -> toxiproxy = Path.of(value(args, ++i));
                case "--latency-ms" -> latency = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; known: --quick,"
                        + " --stores, --regimes, --out, --toxiproxy, --latency-ms");
            }
        }
        if (toxiproxy == null) {
            throw new IllegalArgumentException("--toxiproxy BINARY is required (run.sh installs it and passes it)");
        }
        return new Options(quick, stores, regimes, out, toxiproxy, latency, String.join(" ", args));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static List<Regime> regimes(String text) {
        List<Regime> out = new ArrayList<>();
        for (String name : text.split(",")) {
            out.add(switch (name) {
                case "loopback" -> Regime.LOOPBACK;
                case "cloud-like", "cloud" -> Regime.CLOUD_LIKE;
                default -> throw new IllegalArgumentException("unknown regime '" + name + "'; known: loopback,"
                        + " cloud-like");
            });
        }
        return out;
    }
}
