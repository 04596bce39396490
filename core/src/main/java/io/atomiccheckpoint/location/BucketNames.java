package io.atomiccheckpoint.location;

import java.util.regex.Pattern;

/**
 * The bucket and container naming rules of each cloud, checked before any request so that a typo fails
 * with a precise message instead of an opaque 400 from the service.
 */
final class BucketNames {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern GCS_CHARS = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern S3_CHARS = Pattern.compile("[a-z0-9.-]+");
    private static final Pattern AZURE_CONTAINER = Pattern.compile("[a-z0-9]([a-z0-9]|-(?=[a-z0-9]))*");
    private static final Pattern AZURE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");

    private BucketNames() {
    }

    /** Returns null when {@code name} is a valid bucket or container name for {@code scheme}, else the broken rule. */
    static String problem(Scheme scheme, String name) {
        switch (scheme) {
            case GCS:
                return gcs(name);
            case S3:
                return s3(name);
            case AZURE:
                return azureContainer(name);
            case MEMORY:
                return s3(name);
            default:
                return null;
        }
    }

    static String azureAccountProblem(String account) {
        if (!AZURE_ACCOUNT.matcher(account).matches()) {
            return "Azure storage account name '" + account
                    + "' must be 3 to 24 characters of lowercase letters and digits";
        }
        return null;
    }

    private static String gcs(String name) {
        if (!GCS_CHARS.matcher(name).matches()) {
            return "GCS bucket name '" + name + "' may only contain lowercase letters, digits, '-', '_' and '.'";
        }
        boolean dotted = name.indexOf('.') >= 0;
        if (name.length() < 3 || name.length() > (dotted ? 222 : 63)) {
            return "GCS bucket name '" + name + "' must be 3 to 63 characters (up to 222 with dots)";
        }
        if (dotted) {
            for (String component : name.split("\\.", -1)) {
                if (component.isEmpty() || component.length() > 63) {
                    return "GCS bucket name '" + name + "' has a dot-separated part that is empty or longer than 63";
                }
            }
        }
        if (!alnum(name.charAt(0)) || !alnum(name.charAt(name.length() - 1))) {
            return "GCS bucket name '" + name + "' must start and end with a letter or digit";
        }
        if (name.startsWith("goog") || name.contains("google") || name.contains("g00gle")) {
            return "GCS bucket name '" + name + "' may not start with 'goog' or contain 'google'";
        }
        if (IPV4.matcher(name).matches()) {
            return "GCS bucket name '" + name + "' may not be an IP address";
        }
        return null;
    }

    private static String s3(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return "S3 bucket name '" + name + "' must be 3 to 63 characters";
        }
        if (!S3_CHARS.matcher(name).matches()) {
            return "S3 bucket name '" + name + "' may only contain lowercase letters, digits, '-' and '.'";
        }
        if (!alnum(name.charAt(0)) || !alnum(name.charAt(name.length() - 1))) {
            return "S3 bucket name '" + name + "' must start and end with a letter or digit";
        }
        if (name.contains("..")) {
            return "S3 bucket name '" + name + "' may not contain two adjacent periods";
        }
        if (IPV4.matcher(name).matches()) {
            return "S3 bucket name '" + name + "' may not be an IP address";
        }
        for (String reserved : new String[] {"xn--", "sthree-", "amzn-s3-demo-"}) {
            if (name.startsWith(reserved)) {
                return "S3 bucket name '" + name + "' may not start with the reserved prefix '" + reserved + "'";
            }
        }
        for (String reserved : new String[] {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
            if (name.endsWith(reserved)) {
                return "S3 bucket name '" + name + "' may not end with the reserved suffix '" + reserved + "'";
            }
        }
        return null;
    }

    private static String azureContainer(String name) {
        if (name.equals("$root") || name.equals("$web") || name.equals("$logs")) {
            return null;
        }
        if (name.length() < 3 || name.length() > 63) {
            return "Azure container name '" + name + "' must be 3 to 63 characters";
        }
        if (!AZURE_CONTAINER.matcher(name).matches()) {
            return "Azure container name '" + name
                    + "' may only contain lowercase letters, digits and single '-' between them,"
                    + " starting with a letter or digit";
        }
        return null;
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
