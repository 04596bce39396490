package io.atomiccheckpoint.store;

import io.atomiccheckpoint.location.Location;
import java.util.Optional;

/**
 * The outcome for one object of a batch delete. Deleting an object that does not exist succeeds: deletes
 * are idempotent so that a retried cleanup converges.
 */
public final class DeleteResult {
    private final Location location;
    private final String error;

    private DeleteResult(Location location, String error) {
        this.location = location;
        this.error = error;
    }

    public static DeleteResult deleted(Location location) {
        return new DeleteResult(location, null);
    }

    public static DeleteResult failed(Location location, String error) {
        return new DeleteResult(location, error == null ? "unknown error" : error);
    }

    public Location location() {
        return location;
    }

    public boolean succeeded() {
        return error == null;
    }

    /** The store's reason, when the delete failed. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return error == null ? "deleted " + location : "failed to delete " + location + ": " + error;
    }
}
