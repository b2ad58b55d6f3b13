package io.alknet.kernel.internal;

import io.alknet.api.stream.PeerInfo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent connections per source address (IPv4 and IPv6 alike). Transports without an address
 * (iroh) are not limited here. {@code 0} = unlimited.
 */
final class ConnectionLimiter {

    private final int maxPerAddress;
    private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts the connection, or returns false (and counts nothing) when the address is at its limit. */
    boolean tryAcquire(PeerInfo peer) {
        String key = peer.remoteHost();
        if (maxPerAddress <= 0 || key.equals("unknown")) {
            return true;
        }
        boolean[] acquired = {false};
        counts.compute(key, (k, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < maxPerAddress) {
                current.incrementAndGet();
                acquired[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        return acquired[0];
    }

    void release(PeerInfo peer) {
        String key = peer.remoteHost();
        if (maxPerAddress <= 0 || key.equals("unknown")) {
            return;
        }
        counts.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
