package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.atomicity.DeepValidationReport;
import io.atomiccheckpoint.atomicity.ValidationError;
import io.atomiccheckpoint.commit.CommitMarkers;
import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.commit.PrefixCopyCommit;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.spi.ForwardingObjectStore;
import io.atomiccheckpoint.spi.ObjectStore;
import io.atomiccheckpoint.store.ListPage;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.Store;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code verify CKPT}: deep validation (every object the marker lists against a listing of the checkpoint), with a
 * progress bar of the objects listed. Exit 0 when intact, 1 when invalid (no marker, a bad marker, objects missing,
 * changed or unexpected), 2 on an error. An Orbax marker is valid but lists nothing to check: exit 0, with a note.
 */
@Command(name = "verify", description = "Validate CKPT deeply: every object its marker lists is there, unchanged,"
        + " and nothing else. Exit 0 valid, 1 invalid, 2 error.")
final class VerifyCommand extends StoreCommand {
    @Parameters(paramLabel = "CKPT", description = "the checkpoint")
    String checkpoint;

    @Override
    public Integer call() {
        Location at = CommonOptions.location(checkpoint);
        Progress progress = common.progress(main.console);
        DeepValidationReport report;
        ValidationError invalid = null;
        try (Store store = Store.of(new ListingProgress(Store.provider(at.scheme()).open(at, common.config(main.console)),
                progress))) {
            try {
                ManifestHeader header = new CommitMarkers(store, CommitSettings.defaults()).read(at, r -> r.header());
                progress.phase("verifying", Math.max(header.objectCount(), 0), -1);
                report = new PrefixCopyCommit(store).validateDeep(at);
            } catch (ValidationError e) {
                report = null;
                invalid = e;
            } finally {
                progress.done();
            }
        }
        boolean valid = invalid == null && (report.isIntact() || !report.hasInventory());
        if (common.json) {
            DeepValidationReport r = report;
            ValidationError v = invalid;
            try (JsonOutput json = new JsonOutput(main.console.out())) {
                json.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("checkpoint", at.toString());
                    g.writeBooleanField("valid", valid);
                    if (v != null) {
                        g.writeStringField("rule", v.rule().name());
                        g.writeStringField("error", v.getMessage());
                    } else {
                        g.writeBooleanField("inventory", r.hasInventory());
                        g.writeNumberField("checked", r.checked());
                        writeProblems(g, "missing", r.missingCount(), r.missing());
                        writeProblems(g, "changed", r.changedCount(), r.changed());
                        writeProblems(g, "unexpected", r.unexpectedCount(), r.unexpected());
                    }
                    g.writeEndObject();
                });
            }
        } else {
            printText(at, report, invalid, valid);
        }
        return valid ? Main.OK : Main.NEGATIVE;
    }

    private static void writeProblems(com.fasterxml.jackson.core.JsonGenerator g, String name, long count,
            List<String> sample) throws java.io.IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", count);
        g.writeArrayFieldStart("sample");
        for (String s : sample) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void printText(Location at, DeepValidationReport r, ValidationError invalid, boolean valid) {
        PrintWriter out = main.console.out();
        if (invalid != null) {
            out.printf("INVALID %s: %s (%s)%n", at, Messages.quote(invalid.getMessage()), invalid.rule());
            return;
        }
        if (!r.hasInventory()) {
            out.printf("VALID %s: Orbax text marker; it lists no objects, so none were checked%n", at);
            return;
        }
        out.printf("%s %s: %d objects checked, %d missing, %d changed, %d unexpected%n", valid ? "VALID" : "INVALID", at,
                r.checked(), r.missingCount(), r.changedCount(), r.unexpectedCount());
        r.missing().forEach(k -> out.printf("  missing     %s%n", Messages.quote(k)));
        r.changed().forEach(k -> out.printf("  changed     %s%n", Messages.quote(k)));
        r.unexpected().forEach(k -> out.printf("  unexpected  %s%n", Messages.quote(k)));
    }

    /** Counts the objects of each listing page, which is how far deep validation has come. */
    private static final class ListingProgress extends ForwardingObjectStore {
        private static final String MARKER = CommitSettings.defaults().markerName();
        private final Progress progress;

        ListingProgress(ObjectStore delegate, Progress progress) {
            super(delegate);
            this.progress = progress;
        }

        @Override
        protected void beforeCall(String operation, Location location) {
            // Nothing to add before a call; list pages are counted when they arrive.
        }

        @Override
        public ListPage list(Location prefix, boolean delimited, String pageToken, int pageSize) {
            ListPage page = super.list(prefix, delimited, pageToken, pageSize);
            // The marker is listed too but is not one of the objects it lists.
            List<ObjectInfo> objects = page.objects().stream().filter(o -> !o.key().endsWith("/" + MARKER)).toList();
            progress.add(objects.size(), objects.stream().mapToLong(ObjectInfo::size).sum());
            return page;
        }
    }
}
