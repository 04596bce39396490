package io.atomiccheckpoint.location;

import io.atomiccheckpoint.AtomicCheckpointException;
import io.atomiccheckpoint.ErrorKind;

/**
 * Thrown when a location string or a relative name is malformed or unsafe. The message names the input
 * and the rule it broke; the input is never silently rewritten into a different location.
 */
public class InvalidLocationException extends AtomicCheckpointException {
    private static final long serialVersionUID = 1L;

    private final String input;

    public InvalidLocationException(String input, String reason) {
        super(ErrorKind.INVALID_INPUT, "invalid location '" + printable(input) + "': " + reason);
        this.input = input;
    }

    /** The rejected input, as given. */
    public String input() {
        return input;
    }

    /**
     * The input as it may appear in a message: query strings, fragments and user info (where SAS signatures,
     * {@code X-Amz-Signature}, access tokens and passwords travel) replaced by {@code <redacted>}, control
     * characters escaped and the length capped, so an error message can neither leak a secret nor forge a log
     * line.
     */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        int query = indexOfAny(s, '?', '#');
        String shown = query >= 0 ? s.substring(0, query) + s.charAt(query) + "<redacted>" : s;
        int scheme = shown.indexOf("://");
        if (scheme >= 0) {
            int authorityEnd = indexOfAny(shown.substring(scheme + 3), '/', '?');
            String authority = authorityEnd < 0 ? shown.substring(scheme + 3) : shown.substring(scheme + 3, scheme + 3 + authorityEnd);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                shown = shown.substring(0, scheme + 3) + "<redacted>" + shown.substring(scheme + 3 + at);
            }
        }
        return io.atomiccheckpoint.Messages.quote(shown);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
