package io.atomiccheckpoint.multihost;

import io.atomiccheckpoint.location.InvalidLocationException;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.store.ObjectNotFoundException;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.PutMode;
import java.io.IOException;
import java.io.InputStream;
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
 * service: the primary announces the attempt it created, every host announces that it finished writing, and the
 * primary waits for all of them before it commits.
 *
 * <p>Every host builds the barrier on the location {@code fromFinal(final).get()} returns before any
 * {@code create()}: the temporary location the attempts live in, the same on every host with no I/O. The
 * primary's announcement ({@code <temporary>/_HOSTS/_created}) carries the job's run id and the attempt's own
 * location; {@link #awaitCreated} returns that location, and the other hosts join the attempt with
 * {@code fromTemporary(location)}. So a host always writes into the attempt its primary announced, never into a
 * newer attempt it has not heard of. Done signals go into the attempt's directory ({@code <attempt>/_HOSTS/}) and
 * are committed with the checkpoint, so the manifest records which hosts took part. The run id (any string all
 * hosts agree on for this launch, such as the step plus a launch id) makes signals of an earlier launch count
 * for nothing.
 */
public final class HostBarrier {
    /** The directory that holds the signals. */
    public static final String DIRECTORY = "_HOSTS";
    private static final String CREATED = "_created";
    private static final Duration FIRST_POLL = Duration.ofMillis(20);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final Store store;
    private final Location rendezvous;
    private final String runId;
    private final Clock clock;
    private volatile Location attempt;

    /**
     * @param temporary the temporary location attempts live in: {@code fromFinal(final).get()} before create
     * @param runId what every host of this launch agrees on; 1 to 256 characters without a line break
     */
    public HostBarrier(Store store, Location temporary, String runId) {
        this(store, temporary, runId, Clock.systemUTC());
    }

    public HostBarrier(Store store, Location temporary, String runId, Clock clock) {
        if (runId == null || runId.isBlank() || runId.length() > 256 || runId.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("run id must be 1 to 256 characters without a line break");
        }
        this.store = store;
        this.rendezvous = temporary.resolve(DIRECTORY).resolve(CREATED);
        this.runId = runId;
        this.clock = clock;
    }

    /** Primary only, after {@code create()}: tells the other hosts which attempt to write into. */
    public void signalCreated(Location attemptLocation) {
        attempt = attemptLocation;
        store.write(rendezvous, (runId + "\n" + attemptLocation).getBytes(StandardCharsets.UTF_8), PutMode.OVERWRITE);
    }

    /**
     * Non-primary hosts, before writing: waits until the primary has created an attempt for this run.
     *
     * @return the attempt's location, for {@code fromTemporary}
     * @throws HostsNotReadyException naming the primary if it did not announce in time
     */
    public Location awaitCreated(Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        Duration pause = FIRST_POLL;
        while (true) {
            String[] announced = read(rendezvous).map(text -> text.split("\n", 2)).orElse(new String[0]);
            if (announced.length == 2 && announced[0].equals(runId)) {
                attempt = Location.parse(announced[1]);
                return attempt;
            }
            pause = waitOrGiveUp(deadline, pause, List.of("primary"), timeout, "the primary to create an attempt");
        }
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
        Location in = attempt;
        if (in == null) {
            throw new IllegalStateException("the attempt is not known yet: the primary calls signalCreated, the other"
                    + " hosts awaitCreated, before any done signal");
        }
        try {
            if (hostId.contains("/")) {
                throw new InvalidLocationException(hostId, "a host id is a single name");
            }
            return in.resolve(DIRECTORY).resolve(hostId + ".done");
        } catch (InvalidLocationException e) {
            throw new IllegalArgumentException("invalid host id '" + hostId + "': " + e.getMessage(), e);
        }
    }

    private void await(List<String> names, Duration timeout, String what) {
        Instant deadline = clock.instant().plus(timeout);
        Set<String> pending = new LinkedHashSet<>(names);
        Duration pause = FIRST_POLL;
        while (true) {
            Location directory = attempt.resolve(DIRECTORY);
            pending.removeIf(name -> read(directory.resolve(name)).map(runId::equals).orElse(false));
            if (pending.isEmpty()) {
                return;
            }
            List<String> hosts = new ArrayList<>();
            for (String name : pending) {
                hosts.add(name.endsWith(".done") ? name.substring(0, name.length() - ".done".length()) : name);
            }
            pause = waitOrGiveUp(deadline, pause, hosts, timeout, what);
        }
    }

    /** Sleeps before the next poll, or throws naming {@code pending} once the deadline has passed. */
    private Duration waitOrGiveUp(Instant deadline, Duration pause, List<String> pending, Duration timeout, String what) {
        if (!clock.instant().isBefore(deadline)) {
            throw new HostsNotReadyException(pending, "timed out after " + timeout + " waiting for " + what + " (run "
                    + runId + " at " + rendezvous.parent().orElseThrow() + "); not reported: " + pending);
        }
        try {
            // Polling is the only way to wait on an object store; back off to keep the request rate low.
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostsNotReadyException(pending, "interrupted while waiting for " + what);
        }
        return pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
    }

    private java.util.Optional<String> read(Location signal) {
        try (InputStream in = store.read(signal)) {
            return java.util.Optional.of(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
        } catch (ObjectNotFoundException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw Store.fromIo("get", signal, e);
        }
    }
}
