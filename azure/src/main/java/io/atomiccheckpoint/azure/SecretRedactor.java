package io.atomiccheckpoint.azure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it reaches an exception message or a log line: the configured secrets
 * literally, and anything shaped like a SAS signature, account key, bearer token or echoed request signature
 * (Azure's 403 messages quote the signature the client sent).
 */
final class SecretRedactor {
    static final String MASK = "<redacted>";

    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile("(?i)(\\bsig=)[^&\\s;\"'<]+"),
            Pattern.compile("(?i)(\\bAccountKey=)[^;\\s\"'<]+"),
            Pattern.compile("(?i)(\\bSharedAccessSignature=)[^\\s\"'<]+"),
            Pattern.compile("(?i)(\\bBearer\\s+)[A-Za-z0-9._~+/=-]+"),
            Pattern.compile("(?i)(\\bSharedKey(?:Lite)?\\s+[^:\\s]+:)[A-Za-z0-9+/=]+"),
            Pattern.compile("(?i)(signature found in the HTTP request ')[^']*"));

    private final List<String> literals;

    SecretRedactor(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String s : secrets) {
            // Very short values would mask ordinary words; every real secret is long.
            if (s != null && s.length() >= 8) {
                kept.add(s);
            }
        }
        this.literals = List.copyOf(kept);
    }

    static SecretRedactor shapesOnly() {
        return new SecretRedactor(List.of());
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : literals) {
            out = out.replace(secret, MASK);
        }
        for (Pattern p : SHAPES) {
            out = p.matcher(out).replaceAll("$1" + MASK);
        }
        return out;
    }
}
