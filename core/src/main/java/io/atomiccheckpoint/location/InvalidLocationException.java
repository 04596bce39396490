package io.atomiccheckpoint.location;

/**
 * Thrown when a location string or a relative name is malformed or unsafe. The message names the input
 * and the rule it broke; the input is never silently rewritten into a different location.
 */
public class InvalidLocationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;

    public InvalidLocationException(String input, String reason) {
        super("invalid location '" + printable(input) + "': " + reason);
        this.input = input;
    }

    /** The rejected input, as given. */
    public String input() {
        return input;
    }

    /** Renders control characters visibly so that an error message cannot forge log lines. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), 300));
        int limit = Math.min(s.length(), 256);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (s.length() > limit) {
            out.append("...(").append(s.length()).append(" chars)");
        }
        return out.toString();
    }
}
