package io.atomiccheckpoint.multihost;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import java.util.List;

/** Some hosts of a multi-host job did not signal in time; the message and {@link #hosts()} name them. */
public class HostsNotReadyException extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    private final List<String> hosts;

    public HostsNotReadyException(List<String> hosts, String message) {
        super(ErrorKind.TIMEOUT, message);
        this.hosts = List.copyOf(hosts);
    }

    /** The hosts that did not report. */
    public List<String> hosts() {
        return hosts;
    }
}
