package io.atomiccheckpoint.store;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;

/** The object to read or copy does not exist. */
public class ObjectNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String operation, Location location, Throwable cause) {
        super(ErrorKind.NOT_FOUND, operation, location, "no such object", cause);
    }
}
