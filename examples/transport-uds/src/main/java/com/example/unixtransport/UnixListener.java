package com.example.unixtransport;

import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A bound Unix-domain server socket. Each {@link #accept()} waits on a virtual thread for one connection;
 * connections nobody accepted yet wait in the kernel's backlog. {@link #close()} deletes the socket file.
 *
 * <p>Threading: every method may be called from any thread and never blocks.
 */
final class UnixListener implements Listener {

    private final ServerSocketChannel server;
    private final TransportAddress address;
    private final Path path;
    private final Consumer<UnixListener> onClose;
    private final AtomicBoolean accepting = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    UnixListener(ServerSocketChannel server, TransportAddress address, Path path, Consumer<UnixListener> onClose) {
        this.server = server;
        this.address = address;
        this.path = path;
        this.onClose = onClose;
    }

    @Override
    public TransportAddress address() {
        return address;
    }

    @Override
    public CompletionStage<TransportStream> accept() {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (!accepting.compareAndSet(false, true)) {
            throw new IllegalStateException("accept() already pending");
        }
        CompletableFuture<TransportStream> next = new CompletableFuture<>();
        Thread.ofVirtual().name("unix-accept").start(() -> {
            TransportStream stream = null;
            IOException failure = null;
            try {
                stream = acceptOne();
            } catch (IOException e) {
                failure = e;
            }
            accepting.set(false); // before completing: the caller may call accept() again right away
            if (stream != null) {
                next.complete(stream);
            } else {
                next.completeExceptionally(failure);
            }
        });
        return next;
    }

    /** The next connection; a failure of one inbound connection is skipped, closing ends the wait. */
    private TransportStream acceptOne() throws IOException {
        while (true) {
            SocketChannel channel = null;
            try {
                channel = server.accept();
                return UnixStream.open(channel);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                if (channel != null) {
                    channel.close();
                }
                if (closed.get()) {
                    throw new ClosedChannelException();
                }
                pause(); // e.g. out of file descriptors: back off instead of spinning
            }
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close(); // a pending accept fails with AsynchronousCloseException
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the next bind replaces a stale file
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "UnixListener[" + address + "]";
    }
}
