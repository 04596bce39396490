package io.atomiccheckpoint.benchmarks;

/** Where the requests go: straight to the emulator, or through a proxy adding a cloud's round trip. */
enum Regime {
    LOOPBACK("loopback"),
    CLOUD_LIKE("cloud-like");

    private final String label;

    Regime(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
