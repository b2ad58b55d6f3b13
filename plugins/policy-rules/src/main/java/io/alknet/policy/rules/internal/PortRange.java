package io.alknet.policy.rules.internal;

/** An inclusive port range; {@code 0-65535} is "any port". */
record PortRange(int low, int high) {

    static final PortRange ANY = new PortRange(0, 65535);

    PortRange {
        if (low < 0 || high > 65535 || low > high) {
            throw new IllegalArgumentException("invalid port range " + low + "-" + high);
        }
    }

    boolean contains(int port) {
        return port >= low && port <= high;
    }
}
