package io.atomiccheckpoint;

/**
 * How messages quote what came from outside (keys, writer ids, server answers): capped in length and with
 * control characters escaped, so an exception can neither flood a log nor forge a line in it.
 */
public final class Messages {
    /** The most characters of one quoted value kept in a message. */
    public static final int MAX_QUOTED_CHARS = 256;

    private Messages() {
    }

    /** {@code value} with control characters as {@code \\uXXXX}, cut to {@link #MAX_QUOTED_CHARS} with its length noted. */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        int limit = Math.min(s.length(), MAX_QUOTED_CHARS);
        StringBuilder out = new StringBuilder(limit + 24);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
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
