package io.atomiccheckpoint.commit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.atomiccheckpoint.ErrorKind;
import io.atomiccheckpoint.location.Location;
import io.atomiccheckpoint.manifest.ManifestHeader;
import io.atomiccheckpoint.manifest.ManifestReader;
import io.atomiccheckpoint.store.GetOptions;
import io.atomiccheckpoint.store.ObjectInfo;
import io.atomiccheckpoint.store.PreconditionFailedException;
import io.atomiccheckpoint.store.Store;
import io.atomiccheckpoint.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * The attempt lease of one final location: the single object ({@code <final><suffix>/_ATTEMPT}) whose
 * version is the fencing token of the current attempt. {@code create()} replaces it (a conditional update,
 * or a create-only put when there is none), which revokes every earlier attempt's token; a commit writes its
 * manifest into it with a conditional update and copies it onto the marker name pinned to that version, so
 * only the holder of the current token can ever produce a marker.
 *
 * <p>Its content is a small JSON document ({@code ACTIVE} while writers stage, {@code SEALED} once they
 * declared staging complete), and during the marker write the manifest itself ({@code COMMITTING}).
 */
final class AttemptLease {
    /** The lease document's format name. */
    static final String FORMAT = "atomic-checkpoint-attempt";
    private static final long MAX_DOCUMENT_BYTES = 64 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    /** Where an attempt is. */
    enum State {
        /** Created; writers may still be staging. */
        ACTIVE,
        /** Writers declared staging complete; a commit (or a resumed commit) may proceed. */
        SEALED,
        /** The lease holds the manifest the marker is about to be copied from. */
        COMMITTING
    }

    /** One reading of the lease: its content and the version it was read at. */
    record Lease(String attempt, State state, String writerId, Instant created, String version) {
    }

    private final Store store;
    private final CommitSettings settings;
    private final Location finalLocation;
    private final Location location;

    AttemptLease(Store store, CommitSettings settings, Location finalLocation) {
        this.store = store;
        this.settings = settings;
        this.finalLocation = finalLocation;
        this.location = settings.lease(finalLocation);
    }

    Location location() {
        return location;
    }

    /**
     * The lease as it is now, read at one version (a stat, then a read pinned to that version, repeated if the
     * lease changed in between), or empty if there is none.
     */
    Optional<Lease> read() {
        for (int tries = 0; ; tries++) {
            Optional<ObjectInfo> info = store.stat(location);
            if (info.isEmpty()) {
                return Optional.empty();
            }
            String version = info.get().version().orElseThrow(() -> new StoreException(ErrorKind.NOT_SUPPORTED,
                    "read", location, "the store reports no version for the lease; it cannot fence commits"));
            StoreException changed;
            try (InputStream in = store.read(location, GetOptions.version(version))) {
                return Optional.of(parse(in, version));
            } catch (PreconditionFailedException | io.atomiccheckpoint.store.ObjectNotFoundException e) {
                changed = e;
            } catch (IOException e) {
                // A stream may report mid-read that its version was replaced (GCS): the same case as above.
                StoreException translated = Store.fromIo("read", location, e);
                if (!(translated instanceof PreconditionFailedException
                        || translated instanceof io.atomiccheckpoint.store.ObjectNotFoundException)) {
                    throw translated;
                }
                changed = translated;
            } catch (java.io.UncheckedIOException unreadable) {
                // A document cut short while it was being replaced (servers whose writes are not atomic, such as
                // S3Mock) reads as corrupt: read again if the lease has a new version, else it is corrupt.
                if (tries >= 4 || store.stat(location).flatMap(ObjectInfo::version).equals(Optional.of(version))) {
                    throw unreadable;
                }
                continue;
            }
            if (tries >= 4) {
                // Replaced between every stat and read: other committers are at work on this checkpoint.
                throw new io.atomiccheckpoint.atomicity.CommitConflictException(finalLocation, "its attempt lease "
                        + location + " changed during each of " + (tries + 1) + " reads; another writer is changing it",
                        changed);
            }
        }
    }

    private Lease parse(InputStream in, String version) throws IOException {
        byte[] head = in.readNBytes(64);
        InputStream all = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), in);
        String start = new String(head, java.nio.charset.StandardCharsets.UTF_8);
        if (start.contains(ManifestHeader.FORMAT)) {
            try (ManifestReader reader = ManifestReader.open(all, finalLocation, settings.markerName(),
                    settings.maxMarkerBytes())) {
                ManifestHeader header = reader.header();
                String commitId = header.commitId().orElse("");
                return new Lease(attemptOf(commitId), State.COMMITTING, header.writerId().orElse(null),
                        header.initTimestamp().orElse(null), version);
            }
        }
        byte[] doc = all.readNBytes((int) MAX_DOCUMENT_BYTES + 1);
        if (doc.length > MAX_DOCUMENT_BYTES) {
            throw corrupt("is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        String format = null;
        String attempt = null;
        String state = null;
        String writer = null;
        Instant created = null;
        try (JsonParser p = JSON.createParser(doc)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw corrupt("is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (value.isStructStart()) {
                    p.skipChildren();
                    continue;
                }
                String text = value == JsonToken.VALUE_NULL ? null : p.getText();
                switch (field) {
                    case "format":
                        format = text;
                        break;
                    case "attempt":
                        attempt = text;
                        break;
                    case "state":
                        state = text;
                        break;
                    case "writerId":
                        writer = text;
                        break;
                    case "created":
                        created = text == null ? null : Instant.parse(text);
                        break;
                    default:
                        break;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt("cannot be parsed: " + e.getMessage());
        }
        if (!FORMAT.equals(format) || attempt == null || state == null) {
            throw corrupt("lacks its format, attempt or state");
        }
        try {
            return new Lease(attempt, State.valueOf(state), writer, created, version);
        } catch (IllegalArgumentException e) {
            throw corrupt("has an unknown state");
        }
    }

    private StoreException corrupt(String problem) {
        return new StoreException(ErrorKind.CORRUPT, "read", location, "the attempt lease " + problem);
    }

    /** The lease document of an attempt in a given state. */
    static byte[] document(String attempt, State state, String writerId, Instant created) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("formatVersion", 1);
            g.writeStringField("attempt", attempt);
            g.writeStringField("state", state.name());
            g.writeStringField("writerId", writerId);
            g.writeStringField("created", created == null ? null : created.toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a lease document in memory", e);
        }
        return out.toByteArray();
    }

    /** The attempt a commit id belongs to: commit ids are {@code <attempt>.<committer nonce>}. */
    static String attemptOf(String commitId) {
        int dot = commitId.lastIndexOf('.');
        return dot < 0 ? commitId : commitId.substring(0, dot);
    }
}
