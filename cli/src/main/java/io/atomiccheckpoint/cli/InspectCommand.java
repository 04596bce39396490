package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.commit.CommitMarkers;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestEntry;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.store.Store;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect CKPT}: the marker's header; {@code --objects} streams its entries as the marker is read, so a
 * checkpoint of millions of objects prints in constant memory. A missing or invalid marker exits 1.
 */
@Command(name = "inspect", description = "Print the commit marker's header of CKPT; --objects streams its entries.")
final class InspectCommand extends StoreCommand {
    @Parameters(paramLabel = "CKPT", description = "the checkpoint")
    String checkpoint;
    @Option(names = "--objects", description = "also print every object the marker lists (key, size, version, checksums)")
    boolean objects;

    @Override
    public Integer call() {
        Location at = CommonOptions.location(checkpoint);
        try (Store store = common.open(at, main.console)) {
            new CommitMarkers(store, CommitSettings.defaults()).read(at, reader -> {
                if (common.json) {
                    try (JsonOutput json = new JsonOutput(main.console.out())) {
                        json.write(g -> {
                            g.writeStartObject();
                            g.writeStringField("checkpoint", at.toString());
                            g.writeObjectFieldStart("header");
                            JsonOutput.header(g, reader.header());
                            g.writeEndObject();
                            if (objects) {
                                g.writeArrayFieldStart("objects");
                                for (Iterator<ManifestEntry> it = reader.entries(); it.hasNext(); ) {
                                    ManifestEntry e = it.next();
                                    g.writeStartObject();
                                    g.writeStringField("key", e.key());
                                    g.writeNumberField("size", e.size());
                                    JsonOutput.field(g, "version", e.version());
                                    g.writeObjectFieldStart("checksums");
                                    for (Map.Entry<String, String> c : e.checksums().entrySet()) {
                                        g.writeStringField(c.getKey(), c.getValue());
                                    }
                                    g.writeEndObject();
                                    g.writeEndObject();
                                }
                                g.writeEndArray();
                            }
                            g.writeEndObject();
                        });
                    }
                } else {
                    printText(at, reader.header(), objects ? reader.entries() : null);
                }
                return null;
            });
        }
        return Main.OK;
    }

    private void printText(Location at, ManifestHeader h, Iterator<ManifestEntry> entries) {
        PrintWriter out = main.console.out();
        out.printf("checkpoint   %s%n", at);
        if (!h.hasInventory()) {
            out.printf("marker       Orbax text marker: committed, no inventory (objects, bytes, writer unknown)%n");
            return;
        }
        out.printf("marker       %s version %d, strategy %s%n", ManifestHeader.FORMAT, h.formatVersion(),
                Messages.quote(h.strategy()));
        out.printf("writer       %s%n", Messages.quote(h.writerId().orElse("-")));
        out.printf("commit id    %s%n", Messages.quote(h.commitId().orElse("-")));
        out.printf("created      %s%n", h.initTimestamp().map(Instant::toString).orElse("-"));
        out.printf("committed    %s%n", h.commitTimestamp().map(Instant::toString).orElse("-"));
        out.printf("objects      %d%n", h.objectCount());
        out.printf("bytes        %d (%s)%n", h.totalBytes(), Sizes.human(h.totalBytes()));
        if (entries != null) {
            // The key first: versions and checksums vary in length from store to store.
            out.printf("%n%12s  %s  %s  %s%n", "SIZE", "KEY", "VERSION", "CHECKSUMS");
            while (entries.hasNext()) {
                ManifestEntry e = entries.next();
                out.printf("%12d  %s  %s  %s%n", e.size(), Messages.quote(e.key()),
                        Messages.quote(e.version().orElse("-")), Messages.quote(e.checksums().toString()));
            }
        }
    }
}
