package io.atomiccheckpoint.benchmarks;

import io.atomiccheckpoint.commit.CommitSettings;
import io.atomiccheckpoint.s3.testing.S3MockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.s3a.Constants;
import org.apache.hadoop.fs.s3a.impl.InternalConstants;
import org.apache.hadoop.util.VersionInfo;

/** The lines above a regime's table: how it was made, and how to read it. */
final class RegimeNotes {
    /** Keep in step with the gcs-connector version in the pom. */
    private static final String GCS_CONNECTOR = "3.1.3";

    private RegimeNotes() {
    }

    static List<String> of(Regime regime, Options options, String machine, CommitSettings settings) {
        List<String> notes = new ArrayList<>();
        String args = options.command().replaceAll("--(toxiproxy|out) \\S+ ?", "").strip();
        notes.add("Made by `benchmarks/run.sh" + (args.isEmpty() ? "" : " " + args) + "` on " + machine
                + "; load average as the tables were written: " + loadAverage()
                + " (anything else running on the machine shows there and in single rows).");
        if (regime == Regime.LOOPBACK) {
            notes.add("Clients talk straight to the emulators on 127.0.0.1; the emulator's CPU is often the limit"
                    + " (see its column: cores busy = emulator CPU ms / wall ms, both until the clean-up finished).");
        } else {
            notes.add("Clients talk to the emulators through Toxiproxy on 127.0.0.1 with a latency toxic of "
                    + options.latencyMillis() + " ms on every response; objects are 4 KiB so that round trips and concurrency, not the emulator's"
                    + " CPU, decide. Check the cores-busy column: where it nears 1 the emulator is the limit after all."
                    + " The filesystem store has no network: here each of its store calls (a listing page and a batch"
                    + " delete count once) and each raw copy waits the same " + options.latencyMillis() + " ms first"
                    + " instead (LatencyObjectStore), to show the commit's round trips at N = 10 000, where the"
                    + " emulators cannot go; its rows show no emulator or proxy CPU.");
        }
        notes.add("Wall time: median of the measured runs, after a warm-up run of every contender in the same JVM."
                + " Setup (writing the objects) and the removal of the run's objects afterwards are not timed."
                + " \"median ms\" is until the finalize returned: for our commits, once the marker is written (readers"
                + " see the checkpoint then; commit() hands the deletion of the temporary prefix to the background by"
                + " default). \"with clean-up ms\" runs until that background deletion finished too; requests, CPU and"
                + " heap cover both. The peers have no background work: for them the two are the same.");
        notes.add("PrefixCopy ÷ this: PrefixCopyCommit's median over the row's; below 1 means PrefixCopyCommit was"
                + " faster. Copy concurrency " + settings.copyConcurrency() + " for PrefixCopyCommit and the raw"
                + " parallel copy; the raw loops only copy (no listing, marker or clean-up).");
        notes.add("Hadoop rename: hadoop-azure " + VersionInfo.getVersion() + " WASB on Azurite"
                + " (ABFS needs a dfs endpoint Azurite lacks), with fs.azure.rename.threads=" + WasbRename.RENAME_THREADS
                + " (its default, 0, renames one blob at a time); it reaches Azurite through a Toxiproxy proxy on"
                + " 127.0.0.1:" + WasbRename.EMULATOR_PORT + " (its emulator mode's fixed port), with the same toxic"
                + " as the other rows in the cloud-like regime and none on loopback (one extra loopback hop there)."
                + " On GCS: gcs-connector " + GCS_CONNECTOR + " (shaded) at its defaults, pointed at fake-gcs-server"
                + " with fs.gs.storage.root.url through the same route as the other rows; its requests are its own"
                + " gcs_api_total_request_count statistic. On S3: hadoop-aws " + VersionInfo.getVersion()
                + " S3A on S3Mock with " + s3aSettings() + " and its defaults otherwise (its rename copies at most "
                + InternalConstants.RENAME_PARALLEL_LIMIT + " objects at a time, HEADs each one, and deletes in pages"
                + " of " + Constants.BULK_DELETE_PAGE_SIZE_DEFAULT + "); it runs on our AWS SDK (the BOM's modules,"
                + " not its bundle). Each source directory is made with mkdirs first, as Hadoop writers do.");
        notes.add("S3: S3Mock " + S3MockServer.VERSION + "; our store with its default s3.createOnlyCopy="
                + S3MockTarget.CREATE_ONLY_COPY + ". S3Mock does not enforce If-None-Match on CopyObject, which the"
                + " store's probe detects; it then copies each object with 3 requests (CreateMultipartUpload,"
                + " UploadPartCopy, CompleteMultipartUpload with If-None-Match: *, which S3Mock does enforce) and"
                + " refuses the one-request CopyObject path (allowed only with s3.unsafe.allowUnconditionalWrites)."
                + " The raw floor is one CopyObject with If-None-Match: * per object, the path our store takes on"
                + " Amazon S3 and LocalStack; on S3Mock our copy phase therefore sends 3 requests where the floor"
                + " sends 1.");
        notes.add("HTTP requests: what the SDK sent, counted in its HTTP pipeline (Azure: per try; GCS: per"
                + " connection, where `object` is a metadata GET or a single DELETE; S3: per attempt, in an SDK"
                + " execution interceptor, the same one S3A loads through fs.s3a.audit.execution.interceptors)."
                + " Store calls: Store operations, a batch delete counting once. Peak heap: this JVM's heap"
                + " pools' peaks during the finalize (an upper bound, includes the SDK's buffers).");
        return notes;
    }

    private static String s3aSettings() {
        StringBuilder b = new StringBuilder();
        S3aRename.settings("http://127.0.0.1:<the route's port>").forEach((k, v) -> b.append(b.length() == 0 ? ""
                : ", ").append(k).append('=').append(v.equals(S3aWireCounter.class.getName()) ? "<this harness's"
                        + " request counter>" : v));
        return b.toString();
    }

    /** The 1-, 5- and 15-minute load averages, or "unknown" off Linux. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
