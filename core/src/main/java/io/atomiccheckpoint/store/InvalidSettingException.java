package io.atomiccheckpoint.store;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;

/** A store setting is unknown or its value is malformed; the message names the key and the rule. */
public class InvalidSettingException extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public InvalidSettingException(String key, String problem) {
        super(ErrorKind.INVALID_INPUT, "setting " + Messages.quote(key) + ": " + problem);
        this.key = key;
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
