package io.atomiccheckpoint.multihost;

import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Synchronises the hosts of a multi-host job through the store itself, for jobs without a coordination
 * service: the primary announces that it created the temporary location, every host announces that it
 * finished writing, and the primary waits for all of them before it commits.
 *
 * <p>Signals are small objects in {@code <temporary>/_HOSTS/} holding the job's run id. The run id (any
 * string all hosts agree on for this attempt, such as the step plus a launch id) makes signals left by an
 * earlier, crashed attempt count for nothing. The signals are committed with the checkpoint, so the
 * manifest records which hosts took part.
 */
public final class HostBarrier {
    /** The directory, inside the temporary location, that holds the signals. */
    public static final String DIRECTORY = "_HOSTS";
    private static final String CREATED = "_created";
    private static final Duration FIRST_POLL = Duration.ofMillis(20);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final Store store;
    private final Location directory;
    private final String runId;
    private final Clock clock;

    public HostBarrier(Store store, Location temporary, String runId) {
        this(store, temporary, runId, Clock.systemUTC());
    }

    public HostBarrier(Store store, Location temporary, String runId, Clock clock) {
        if (runId == null || runId.isBlank() || runId.length() > 256) {
            throw new IllegalArgumentException("run id must be 1 to 256 characters");
        }
        this.store = store;
        this.directory = temporary.resolve(DIRECTORY);
        this.runId = runId;
        this.clock = clock;
    }

    /** Primary only, after {@code create()}: tells the other hosts they may write. */
    public void signalCreated() {
        store.write(directory.resolve(CREATED), runId.getBytes(StandardCharsets.UTF_8), PutMode.OVERWRITE);
    }

    /** Non-primary hosts, before writing: waits until the primary has created the temporary location. */
    public void awaitCreated(Duration timeout) {
        await(List.of(CREATED), timeout, "the primary to create the temporary location");
    }

    /** Every host, after its last write: tells the primary this host is done. */
    public void signalDone(String hostId) {
        store.write(signal(hostId), runId.getBytes(StandardCharsets.UTF_8), PutMode.OVERWRITE);
    }

    /**
     * Primary only, before {@code commit()}: waits until every host in {@code hostIds} has signalled done.
     *
     * @throws HostsNotReadyException naming the hosts that did not report within {@code timeout}
     */
    public void awaitDone(Collection<String> hostIds, Duration timeout) {
        List<String> names = new ArrayList<>();
        for (String host : hostIds) {
            names.add(signal(host).name());
        }
        await(names, timeout, "hosts to finish writing");
    }

    private Location signal(String hostId) {
        try {
            Location location = directory.resolve(hostId + ".done");
            if (hostId.contains("/")) {
                throw new InvalidLocationException(hostId, "a host id is a single name");
            }
            return location;
        } catch (InvalidLocationException e) {
            throw new IllegalArgumentException("invalid host id '" + hostId + "': " + e.getMessage(), e);
        }
    }

    private void await(List<String> names, Duration timeout, String what) {
        Instant deadline = clock.instant().plus(timeout);
        Set<String> pending = new LinkedHashSet<>(names);
        Duration pause = FIRST_POLL;
        while (true) {
            pending.removeIf(name -> holdsRunId(directory.resolve(name)));
            if (pending.isEmpty()) {
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                List<String> hosts = new ArrayList<>();
                for (String name : pending) {
                    hosts.add(name.endsWith(".done") ? name.substring(0, name.length() - ".done".length()) : name);
                }
                throw new HostsNotReadyException(hosts, "timed out after " + timeout + " waiting for " + what + " (run "
                        + runId + " in " + directory + "); not reported: " + hosts);
            }
            try {
                // Polling is the only way to wait on an object store; back off to keep the request rate low.
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostsNotReadyException(new ArrayList<>(pending), "interrupted while waiting for " + what);
            }
            pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
        }
    }

    private boolean holdsRunId(Location signal) {
        try (InputStream in = store.read(signal)) {
            return new String(in.readNBytes(1024), StandardCharsets.UTF_8).equals(runId);
        } catch (ObjectNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + signal, e);
        }
    }
}
