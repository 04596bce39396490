package io.atomiccheckpoint.benchmarks;

/** A checkpoint shape: {@code count} objects of {@code objectBytes} each. */
record Workload(int count, int objectBytes) {
    static final int KIB = 1024;
    static final int MIB = 1024 * 1024;

    Workload {
        if (count < 1 || objectBytes < 1) {
            throw new IllegalArgumentException("a workload needs at least one object of at least one byte, was "
                    + count + " x " + objectBytes);
        }
    }

    /** {@code 1000 x 64 KiB}. */
    String label() {
        String size = objectBytes % MIB == 0 ? objectBytes / MIB + " MiB"
                : objectBytes % KIB == 0 ? objectBytes / KIB + " KiB" : objectBytes + " B";
        return count + " x " + size;
    }

    /** The relative name of object {@code i}; zero-padded so listing order is creation order. */
    static String objectName(int i) {
        return String.format("shard-%06d.bin", i);
    }
}
