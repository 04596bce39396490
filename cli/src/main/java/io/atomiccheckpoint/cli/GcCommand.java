package io.atomiccheckpoint.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory.TemporaryVerdict;
import io.atomiccheckpoint.checkpoints.RetentionPlan;
import io.atomiccheckpoint.checkpoints.RetentionPolicy;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code gc ROOT}: retention and clean-up of abandoned temporaries. A dry run unless {@code --apply}: it prints what
 * it would delete and why each other checkpoint is kept. The latest checkpoint is never deleted; a checkpoint is
 * deleted marker first. Without {@code --keep} no checkpoint is touched (never "keep nothing" by omission).
 */
@Command(name = "gc", description = "Delete checkpoints no --keep policy keeps (never the latest), and temporaries"
        + " abandoned for longer than --temporaries-older-than. A dry run unless --apply.")
final class GcCommand extends StoreCommand {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "ROOT", description = "the directory that holds the checkpoints")
    String root;
    @Option(names = "--keep", paramLabel = "POLICY", converter = PolicyConverter.class,
            description = "latest:N, every-steps:N or every-seconds:N (Orbax's LatestN, EveryNSteps, EveryNSeconds);"
                    + " repeatable: a checkpoint is kept if any policy keeps it")
    List<RetentionPolicy> keep = new ArrayList<>();
    @Option(names = "--temporaries-older-than", paramLabel = "AGE", converter = AgeConverter.class,
            description = "also remove temporaries with no sign of life for AGE (90s, 30m, 24h, 7d or PT1H), and those"
                    + " whose checkpoint is committed")
    Duration temporariesOlderThan;
    @Option(names = "--apply", description = "delete; without it nothing is deleted")
    boolean apply;

    @Override
    public Integer call() {
        if (keep.isEmpty() && temporariesOlderThan == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "nothing to do: give --keep POLICY and/or --temporaries-older-than AGE");
        }
        Location rootLocation = CommonOptions.location(root);
        List<TemporaryVerdict> temporaries = new ArrayList<>();
        RetentionPlan plan = null;
        List<Location> deleted = List.of();
        try (Store store = common.open(rootLocation, main.console)) {
            CheckpointDirectory dir = new CheckpointDirectory(store, rootLocation);
            if (!keep.isEmpty()) {
                plan = dir.planRetention(keep.size() == 1 ? keep.get(0) : new RetentionPolicy.AnyOf(keep));
                if (apply) {
                    deleted = dir.applyRetention(plan);
                }
            }
            if (temporariesOlderThan != null) {
                dir.cleanupTemporaries(temporariesOlderThan, apply, temporaries::add);
            }
        }
        if (common.json) {
            RetentionPlan p = plan;
            List<Location> done = deleted;
            try (JsonOutput json = new JsonOutput(main.console.out())) {
                json.write(g -> writeJson(g, p, done, temporaries));
            }
        } else {
            printText(plan, temporaries);
        }
        return Main.OK;
    }

    private void printText(RetentionPlan plan, List<TemporaryVerdict> temporaries) {
        PrintWriter out = main.console.out();
        String delete = apply ? "deleted" : "would delete";
        String remove = apply ? "removed" : "would remove";
        if (plan != null) {
            for (RetentionPlan.Decision d : plan.decisions()) {
                String name = Messages.quote(d.checkpoint().location().name());
                if (d.keep()) {
                    out.printf("keep          %s  (%s)%n", name, String.join(", ", d.reasons()));
                } else {
                    out.printf("%-13s %s%n", delete, name);
                }
            }
        }
        for (TemporaryVerdict t : temporaries) {
            out.printf("%-13s %s  (%s)%n", t.remove() ? remove : "keep", Messages.quote(t.temporary().name()),
                    Messages.quote(t.reason()));
        }
        long deletions = plan == null ? 0 : plan.toDelete().size();
        long removals = temporaries.stream().filter(TemporaryVerdict::remove).count();
        out.printf("%s %d checkpoints and %d temporaries%s%n", apply ? "deleted" : "dry run: would delete", deletions,
                removals, apply ? "" : "; run again with --apply to delete");
    }

    private void writeJson(JsonGenerator g, RetentionPlan plan, List<Location> deleted, List<TemporaryVerdict> temps)
            throws IOException {
        g.writeStartObject();
        g.writeBooleanField("dryRun", !apply);
        g.writeArrayFieldStart("checkpoints");
        if (plan != null) {
            for (RetentionPlan.Decision d : plan.decisions()) {
                g.writeStartObject();
                g.writeStringField("location", d.checkpoint().location().toString());
                if (d.checkpoint().step().isPresent()) {
                    g.writeNumberField("step", d.checkpoint().step().getAsLong());
                }
                g.writeBooleanField("keep", d.keep());
                g.writeArrayFieldStart("reasons");
                for (String r : d.reasons()) {
                    g.writeString(r);
                }
                g.writeEndArray();
                g.writeBooleanField("deleted", deleted.contains(d.checkpoint().location()));
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("temporaries");
        for (TemporaryVerdict t : temps) {
            g.writeStartObject();
            g.writeStringField("location", t.temporary().toString());
            g.writeBooleanField("remove", t.remove());
            g.writeBooleanField("removed", apply && t.remove());
            g.writeStringField("reason", t.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code latest:N}, {@code every-steps:N}, {@code every-seconds:N}. */
    static final class PolicyConverter implements ITypeConverter<RetentionPolicy> {
        @Override
        public RetentionPolicy convert(String value) {
            int colon = value.indexOf(':');
            String kind = colon < 0 ? value : value.substring(0, colon);
            long n;
            try {
                n = Long.parseLong(colon < 0 ? "" : value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected latest:N, every-steps:N or every-seconds:N, got "
                        + Messages.quote(value));
            }
            try {
                return switch (kind) {
                    case "latest" -> new RetentionPolicy.LatestN(Math.toIntExact(n));
                    case "every-steps" -> new RetentionPolicy.EveryNSteps(n);
                    case "every-seconds" -> RetentionPolicy.EveryNSeconds.of(n);
                    default -> throw new TypeConversionException("unknown policy " + Messages.quote(kind)
                            + "; expected latest, every-steps or every-seconds");
                };
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}, or an ISO-8601 duration. */
    static final class AgeConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("p")) {
                    return Duration.parse(value.trim());
                }
                if (v.length() > 1) {
                    long n = Long.parseLong(v.substring(0, v.length() - 1));
                    switch (v.charAt(v.length() - 1)) {
                        case 's': return Duration.ofSeconds(n);
                        case 'm': return Duration.ofMinutes(n);
                        case 'h': return Duration.ofHours(n);
                        case 'd': return Duration.ofDays(n);
                        default: break;
                    }
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                // Reported below with the accepted forms.
            }
            throw new TypeConversionException("expected an age such as 90s, 30m, 24h, 7d or PT1H, got "
                    + Messages.quote(value));
        }
    }
}
