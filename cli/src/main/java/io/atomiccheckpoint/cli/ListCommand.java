package io.atomiccheckpoint.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.checkpoints.DirectoryEntry;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code list ROOT}: every directory below a root, committed checkpoints with their header, the rest flagged. */
@Command(name = "list", description = "List the checkpoints below ROOT: step, commit time, objects, bytes, writer;"
        + " temporaries and unmarked prefixes are flagged.")
final class ListCommand extends StoreCommand {
    private static final String ROW = "%-10s %8s  %-20s %8s %10s  %-12s %s%n";

    @Parameters(paramLabel = "ROOT", description = "the directory that holds the checkpoints")
    String root;

    @Override
    public Integer call() {
        Location rootLocation = CommonOptions.location(root);
        try (Store store = common.open(rootLocation, main.console);
                Stream<DirectoryEntry> entries = new CheckpointDirectory(store, rootLocation).entries()) {
            if (common.json) {
                try (JsonOutput json = new JsonOutput(main.console.out())) {
                    json.write(g -> {
                        g.writeStartArray();
                        for (DirectoryEntry e : (Iterable<DirectoryEntry>) entries::iterator) {
                            writeJson(g, e);
                        }
                        g.writeEndArray();
                    });
                }
            } else {
                PrintWriter out = main.console.out();
                out.printf(ROW, "STATUS", "STEP", "COMMITTED", "OBJECTS", "BYTES", "WRITER", "NAME");
                entries.forEach(e -> printRow(out, e));
            }
        }
        return Main.OK;
    }

    /** {@code committed}, {@code orbax} (committed with Orbax's text marker), {@code temporary} or {@code unmarked}. */
    static String status(DirectoryEntry e) {
        if (e instanceof CommittedCheckpoint c) {
            return c.header().hasInventory() ? "committed" : "orbax";
        }
        return e instanceof DirectoryEntry.Temporary ? "temporary" : "unmarked";
    }

    private static void printRow(PrintWriter out, DirectoryEntry e) {
        String name = Messages.quote(e.location().name());
        if (e instanceof CommittedCheckpoint c) {
            ManifestHeader h = c.header();
            out.printf(ROW, status(e), c.step().isPresent() ? Long.toString(c.step().getAsLong()) : "-",
                    c.commitTime().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
                    h.hasInventory() ? Long.toString(h.objectCount()) : "-",
                    h.hasInventory() ? Sizes.human(h.totalBytes()) : "-",
                    Messages.quote(h.writerId().orElse("-")), name);
        } else if (e instanceof DirectoryEntry.Unmarked u) {
            out.printf(ROW, status(e), "-", "-", "-", "-", "-", name + "  (" + Messages.quote(u.reason()) + ")");
        } else {
            out.printf(ROW, status(e), "-", "-", "-", "-", "-", name);
        }
    }

    private static void writeJson(JsonGenerator g, DirectoryEntry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", e.location().name());
        g.writeStringField("location", e.location().toString());
        g.writeStringField("status", status(e));
        if (e instanceof CommittedCheckpoint c) {
            if (c.step().isPresent()) {
                g.writeNumberField("step", c.step().getAsLong());
            } else {
                g.writeNullField("step");
            }
            JsonOutput.field(g, "committed", c.commitTime());
            g.writeObjectFieldStart("header");
            JsonOutput.header(g, c.header());
            g.writeEndObject();
        } else if (e instanceof DirectoryEntry.Unmarked u) {
            g.writeStringField("reason", u.reason());
        }
        g.writeEndObject();
    }
}
