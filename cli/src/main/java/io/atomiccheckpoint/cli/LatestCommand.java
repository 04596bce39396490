package io.atomiccheckpoint.cli;

import io.atomiccheckpoint.checkpoints.CheckpointDirectory;
import io.atomiccheckpoint.checkpoints.CommittedCheckpoint;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.Store;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code latest ROOT}: the committed checkpoint with the highest step; exit 1 when there is none. */
@Command(name = "latest", description = "Print the committed checkpoint with the highest step below ROOT"
        + " (exit 1 if there is none).")
final class LatestCommand extends StoreCommand {
    @Parameters(paramLabel = "ROOT", description = "the directory that holds the checkpoints")
    String root;

    @Override
    public Integer call() {
        Location rootLocation = CommonOptions.location(root);
        Optional<CommittedCheckpoint> latest;
        try (Store store = common.open(rootLocation, main.console)) {
            latest = new CheckpointDirectory(store, rootLocation).latest();
        }
        if (common.json) {
            try (JsonOutput json = new JsonOutput(main.console.out())) {
                json.write(g -> {
                    if (latest.isEmpty()) {
                        g.writeNull();
                        return;
                    }
                    CommittedCheckpoint c = latest.get();
                    g.writeStartObject();
                    g.writeStringField("location", c.location().toString());
                    g.writeNumberField("step", c.step().getAsLong());
                    JsonOutput.field(g, "committed", c.commitTime());
                    g.writeEndObject();
                });
            }
        } else if (latest.isPresent()) {
            main.console.out().println(latest.get().location());
        }
        if (latest.isEmpty()) {
            main.console.err().println("no committed checkpoint with a step number below " + rootLocation);
            return Main.NEGATIVE;
        }
        return Main.OK;
    }
}
