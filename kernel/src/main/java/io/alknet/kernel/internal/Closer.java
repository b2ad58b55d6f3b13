package io.alknet.kernel.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what was registered in reverse order of registration; a failure does not stop the others and
 * is kept as a suppressed exception of the first.
 */
final class Closer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.lifecycle");

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    synchronized <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                next = resources.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("lifecycle.close.failed component={} error={}", next.getClass().getSimpleName(), e.toString());
                if (first == null) {
                    first = new IllegalStateException("closing failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
