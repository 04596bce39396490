package io.atomiccheckpoint.store;

import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.Messages;
import io.atomiccheckpoint.location.Location;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome for one object of a batch delete. Deleting an object that does not exist succeeds: deletes are
 * idempotent so that a retried clean-up converges.
 */
public final class DeleteResult {
    private final Location location;
    private final ErrorKind kind;
    private final String error;

    private DeleteResult(Location location, ErrorKind kind, String error) {
        this.location = Objects.requireNonNull(location, "location");
        this.kind = kind;
        this.error = error;
    }

    public static DeleteResult deleted(Location location) {
        return new DeleteResult(location, null, null);
    }

    /** A failed delete; {@code error} is the store's reason, capped and escaped here. */
    public static DeleteResult failed(Location location, ErrorKind kind, String error) {
        return new DeleteResult(location, Objects.requireNonNull(kind, "kind"),
                error == null ? "unknown error" : Messages.quote(error));
    }

    public Location location() {
        return location;
    }

    public boolean succeeded() {
        return error == null;
    }

    /** What went wrong, for a failed delete; {@link ErrorKind#UNKNOWN} never appears for a success. */
    public ErrorKind kind() {
        return kind == null ? ErrorKind.UNKNOWN : kind;
    }

    /** The store's reason, when the delete failed. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return error == null ? "deleted " + location : "failed to delete " + location + " (" + kind + "): " + error;
    }
}
