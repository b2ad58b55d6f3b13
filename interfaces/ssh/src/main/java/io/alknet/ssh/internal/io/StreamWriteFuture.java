package io.alknet.ssh.internal.io;

import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.future.SshFutureListener;
import org.apache.sshd.common.io.IoWriteFuture;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The future of one packet written to a transport stream. MINA's own future classes create a logger
 * per instance, which on the data path (one future per SSH packet) cost more than the write itself;
 * this one is a plain monitor-based future with the same contract.
 */
final class StreamWriteFuture implements IoWriteFuture {

    private final Object id;
    private List<SshFutureListener<IoWriteFuture>> listeners;
    private boolean done;
    private Throwable failure;

    StreamWriteFuture(Object id) {
        this.id = id;
    }

    /** Completes the future (once) and notifies its listeners on the calling thread. */
    void complete(Throwable error) {
        List<SshFutureListener<IoWriteFuture>> toNotify;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            failure = error;
            toNotify = listeners;
            listeners = null;
            notifyAll();
        }
        if (toNotify != null) {
            toNotify.forEach(this::notifyListener);
        }
    }

    private void notifyListener(SshFutureListener<IoWriteFuture> listener) {
        try {
            listener.operationComplete(this);
        } catch (RuntimeException ignored) {
            // a failing listener must not stop the others
        }
    }

    @Override
    public synchronized boolean isWritten() {
        return done && failure == null;
    }

    @Override
    public synchronized Throwable getException() {
        return failure;
    }

    @Override
    public IoWriteFuture addListener(SshFutureListener<IoWriteFuture> listener) {
        synchronized (this) {
            if (!done) {
                if (listeners == null) {
                    listeners = new ArrayList<>(2);
                }
                listeners.add(listener);
                return this;
            }
        }
        notifyListener(listener);
        return this;
    }

    @Override
    public synchronized IoWriteFuture removeListener(SshFutureListener<IoWriteFuture> listener) {
        if (listeners != null) {
            listeners.remove(listener);
        }
        return this;
    }

    @Override
    public Object getId() {
        return id;
    }

    @Override
    public synchronized boolean isDone() {
        return done;
    }

    @Override
    public boolean await(long timeoutMillis, CancelOption... options) throws IOException {
        try {
            return waitFor(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a write");
        }
    }

    @Override
    public boolean awaitUninterruptibly(long timeoutMillis, CancelOption... options) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (true) {
                try {
                    return waitFor(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized boolean waitFor(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!done) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public IoWriteFuture verify(long timeoutMillis, CancelOption... options) throws IOException {
        if (!await(timeoutMillis, options)) {
            throw new IOException("write did not complete within " + timeoutMillis + " ms");
        }
        Throwable error = getException();
        if (error != null) {
            throw error instanceof IOException io ? io : new IOException(error);
        }
        return this;
    }
}
