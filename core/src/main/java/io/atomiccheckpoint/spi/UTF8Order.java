package io.atomiccheckpoint.spi;

import java.util.Comparator;

/**
 * Orders keys by their UTF-8 bytes, the order in which GCS, S3 and Azure list. {@link String#compareTo}
 * orders by UTF-16 code units, which differs for characters outside the Basic Multilingual Plane.
 */
public final class UTF8Order {
    /** The comparator form of {@link #compare}. */
    public static final Comparator<String> COMPARATOR = UTF8Order::compare;

    private UTF8Order() {
    }

    /** Compares two strings as their UTF-8 encodings would compare byte by byte, unsigned. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                // Code point order equals UTF-8 byte order.
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
