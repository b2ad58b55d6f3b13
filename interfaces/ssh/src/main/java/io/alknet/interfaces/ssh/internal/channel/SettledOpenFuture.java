package io.alknet.interfaces.ssh.internal.channel;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.future.CancelFuture;
import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.future.SshFutureListener;

import java.io.IOException;

/**
 * MINA's open future behind an interface of its own. MINA fails every {@code DefaultSshFuture} a closing
 * client channel still lists with a new {@code SshException} (a stack trace, some 15 µs on the I/O
 * thread) even when the future settled long ago, as the open future of a tunnel channel always has; a
 * future that is not a {@code DefaultSshFuture} is left alone. The owner fails it on close instead, and
 * only when it is still pending.
 */
final class SettledOpenFuture implements OpenFuture {

    private final DefaultOpenFuture delegate;

    SettledOpenFuture(Object id, Object lock) {
        delegate = new DefaultOpenFuture(id, lock);
    }

    @Override
    public boolean isOpened() {
        return delegate.isOpened();
    }

    @Override
    public void setOpened() {
        delegate.setOpened();
    }

    @Override
    public Throwable getException() {
        return delegate.getException();
    }

    @Override
    public void setException(Throwable exception) {
        delegate.setException(exception);
    }

    @Override
    public CancelFuture cancel() {
        return delegate.cancel();
    }

    @Override
    public boolean isCanceled() {
        return delegate.isCanceled();
    }

    @Override
    public CancelFuture getCancellation() {
        return delegate.getCancellation();
    }

    @Override
    public OpenFuture addListener(SshFutureListener<OpenFuture> listener) {
        delegate.addListener(listener);
        return this;
    }

    @Override
    public OpenFuture removeListener(SshFutureListener<OpenFuture> listener) {
        delegate.removeListener(listener);
        return this;
    }

    @Override
    public Object getId() {
        return delegate.getId();
    }

    @Override
    public boolean await(long timeoutMillis, CancelOption... options) throws IOException {
        return delegate.await(timeoutMillis, options);
    }

    @Override
    public boolean awaitUninterruptibly(long timeoutMillis, CancelOption... options) {
        return delegate.awaitUninterruptibly(timeoutMillis, options);
    }

    @Override
    public boolean isDone() {
        return delegate.isDone();
    }

    @Override
    public OpenFuture verify(long timeoutMillis, CancelOption... options) throws IOException {
        delegate.verify(timeoutMillis, options);
        return this;
    }
}
