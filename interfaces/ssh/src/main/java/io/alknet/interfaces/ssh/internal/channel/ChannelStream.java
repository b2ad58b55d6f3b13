package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.interfaces.ssh.internal.io.StreamIoSession;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.threads.ThreadUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An SSH channel as a {@link TransportStream}.
 *
 * <p>Inbound: data the peer sent on the channel is handed to the stream handler; the SSH window is
 * released once the handler returned, unless reading is paused, in which case it is released on
 * resume. So a slow consumer slows the peer down through SSH flow control, not through buffering.
 * Outbound: writes are queued and sent one at a time through MINA's asynchronous channel output.
 */
public final class ChannelStream implements TransportStream {

    private final AbstractChannel channel;
    private final EofSender eofSender;
    private final PeerInfo peer;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Object lock = new Object();
    private static final int RECYCLED_SIZE = 64 * 1024;
    private static final int RECYCLED_MAX = 16;
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> recycled = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final ChannelDataWriter writer;
    // guarded by lock
    private boolean outputReady;
    private StreamHandler handler;
    private Queue<Object> early = new ArrayDeque<>();
    private final Queue<PendingWrite> writes = new ArrayDeque<>();
    private boolean writing;
    private boolean paused;
    private long unreleased;
    private boolean closeRequested;
    private PendingWrite eofQueued;
    private boolean inputEnded;
    /** Our side closed the channel: gracefully ({@link #close()}) or not ({@link #abort()}). */
    private boolean closedHere;
    private boolean aborted;
    private boolean closedTold;

    /**
     * @param eofSender sends SSH_MSG_CHANNEL_EOF (a protected operation of MINA's channel)
     */
    public ChannelStream(AbstractChannel channel, EofSender eofSender, PeerInfo peer) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.eofSender = Objects.requireNonNull(eofSender, "eofSender");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.writer = new ChannelDataWriter(channel);
        channel.addCloseFutureListener(f -> channelClosed());
    }

    /** The channel is open (the peer's window and channel id are known); queued writes start now. */
    public void outputReady() {
        synchronized (lock) {
            outputReady = true;
        }
        writeNext();
    }

    /** The peer sent a window adjustment. */
    public void windowExpanded() {
        writer.windowExpanded();
    }

    // ---- called by the channel, on MINA's thread ----

    /** The peer sent data. */
    public void received(byte[] data, int offset, int length) throws IOException {
        StreamHandler current;
        synchronized (lock) {
            current = handler;
            if (current == null) {
                byte[] copy = new byte[length];
                System.arraycopy(data, offset, copy, 0, length);
                early.add(copy);
                return;
            }
        }
        current.onData(ByteBuffer.wrap(data, offset, length));
        release(length);
    }

    /** The peer sent EOF. */
    public void eofReceived() {
        StreamHandler current;
        synchronized (lock) {
            inputEnded = true;
            current = handler;
            if (current == null) {
                early.add(Eof.INSTANCE);
                return;
            }
        }
        current.onInputClosed();
    }

    private void release(long length) throws IOException {
        synchronized (lock) {
            if (paused) {
                unreleased += length;
                return;
            }
        }
        LocalWindow window = channel.getLocalWindow();
        if (window.isOpen()) {
            window.release(length);
        }
    }

    /**
     * The channel closed. Its handler is told an error unless the end was orderly: an abort, or a channel that
     * ended (the peer's CLOSE, the session going away) before the peer's EOF, is never a clean end of data.
     */
    private void channelClosed() {
        Queue<PendingWrite> failed;
        synchronized (lock) {
            failed = new ArrayDeque<>(writes);
            writes.clear();
        }
        for (PendingWrite write : failed) {
            write.future.completeExceptionally(new ClosedChannelException());
        }
        writer.fail(new ClosedChannelException()); // a write that waited for the peer's window
        closed.complete(null);
        tellClosed();
    }

    /** Tells the handler the end once, whether the close or the start comes first. */
    private void tellClosed() {
        StreamHandler current;
        synchronized (lock) {
            if (closedTold || handler == null || !closed.isDone()) {
                return;
            }
            closedTold = true;
            current = handler;
        }
        current.onClosed(closeError());
    }

    private IOException closeError() {
        synchronized (lock) {
            if (aborted) {
                return new IOException("the channel was aborted");
            }
            if (!inputEnded && !closedHere) {
                return new IOException("the channel closed before the end of its data");
            }
            return null;
        }
    }

    // ---- TransportStream ----

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public void start(StreamHandler streamHandler) {
        Objects.requireNonNull(streamHandler, "streamHandler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("stream already started");
        }
        Queue<Object> pending;
        synchronized (lock) {
            pending = early;
            early = new ArrayDeque<>();
        }
        // Deliver what arrived before start, then publish the handler. A concurrent received() sees
        // handler == null and queues into a new list, which we drain again.
        while (true) {
            for (Object event : pending) {
                if (event instanceof byte[] bytes) {
                    streamHandler.onData(ByteBuffer.wrap(bytes));
                    try {
                        release(bytes.length);
                    } catch (IOException e) {
                        abort();
                    }
                } else {
                    streamHandler.onInputClosed();
                }
            }
            synchronized (lock) {
                if (early.isEmpty()) {
                    early = null;
                    handler = streamHandler;
                    break;
                }
                pending = early;
                early = new ArrayDeque<>();
            }
        }
        tellClosed();
    }

    /**
     * Copies into a recycled array: MINA copies from it into packets as the peer's window allows, and
     * the array comes back when that is done. Saves allocating (and zeroing) one buffer per read.
     */
    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        int length = data.remaining();
        byte[] array = length <= RECYCLED_SIZE ? recycled.poll() : null;
        if (array == null) {
            array = new byte[Math.max(length, length <= RECYCLED_SIZE ? RECYCLED_SIZE : length)];
        }
        data.get(array, 0, length);
        byte[] used = array;
        CompletionStage<Void> written = write(ByteBuffer.wrap(array, 0, length));
        if (used.length == RECYCLED_SIZE) {
            written.whenComplete((ignored, error) -> {
                if (recycled.size() < RECYCLED_MAX) {
                    recycled.offer(used);
                }
            });
        }
        return written;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        PendingWrite write = new PendingWrite(data, false);
        synchronized (lock) {
            if (closeRequested || eofQueued != null || closed.isDone() || channel.isClosing()) {
                return CompletableFuture.failedFuture(new ClosedChannelException()); // nothing may follow EOF (RFC 4254 5.3)
            }
            writes.add(write);
        }
        writeNext();
        return write.future;
    }

    private void writeNext() {
        PendingWrite next;
        synchronized (lock) {
            if (writing || !outputReady) {
                return;
            }
            next = writes.poll();
            if (next == null) {
                if (closeRequested && !channel.isClosing()) {
                    channel.close(false);
                }
                return;
            }
            writing = true;
        }
        if (next.eof) {
            try {
                IoWriteFuture written = ThreadUtils.runAsInternal(next, pending -> sendEofAndFinish());
                if (written == null) {
                    finished(next, null);
                } else {
                    written.addListener(f -> finished(next, f.getException()));
                }
            } catch (IOException | RuntimeException e) {
                finished(next, e);
            }
            return;
        }
        writer.write(next.data).whenComplete((ignored, error) -> finished(next, error));
    }

    /**
     * Sends EOF; if the peer's EOF came already and nothing else is queued, this stream is finished, and
     * the channel's CLOSE goes out with the EOF in one transport write (as OpenSSH's sshd sends them)
     * instead of in a second one moments later when the owner closes.
     */
    private IoWriteFuture sendEofAndFinish() throws IOException {
        boolean finished;
        synchronized (lock) {
            finished = inputEnded && writes.isEmpty();
        }
        if (!finished || !(channel.getSession().getIoSession() instanceof StreamIoSession io)) {
            return sendEof();
        }
        synchronized (lock) {
            closedHere = true;
        }
        return io.batch(() -> {
            IoWriteFuture eof = sendEof();
            channel.close(false);
            return eof;
        });
    }

    private IoWriteFuture sendEof() throws IOException {
        if (channel.isEofSent() || channel.isClosing()) {
            return null;
        }
        return eofSender.sendEof();
    }

    private void finished(PendingWrite write, Throwable error) {
        synchronized (lock) {
            writing = false;
        }
        if (error != null) {
            write.future.completeExceptionally(error);
            abort();
            return;
        }
        write.future.complete(null);
        writeNext();
    }

    @Override
    public void pauseReading() {
        synchronized (lock) {
            paused = true;
        }
    }

    @Override
    public void resumeReading() {
        long toRelease;
        synchronized (lock) {
            if (!paused) {
                return;
            }
            paused = false;
            toRelease = unreleased;
            unreleased = 0;
        }
        if (toRelease > 0) {
            try {
                release(toRelease);
            } catch (IOException e) {
                abort();
            }
        }
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        PendingWrite eof = new PendingWrite(null, true);
        synchronized (lock) {
            if (closed.isDone()) {
                return CompletableFuture.completedFuture(null);
            }
            if (eofQueued != null) {
                return eofQueued.future;
            }
            eofQueued = eof;
            writes.add(eof);
        }
        writeNext();
        return eof.future;
    }

    /** Graceful: the queued writes, then EOF (unless sent already), then CLOSE. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed.isDone() || closeRequested) {
                return;
            }
            closeRequested = true;
            closedHere = true;
            if (eofQueued == null) {
                eofQueued = new PendingWrite(null, true);
                writes.add(eofQueued);
            }
        }
        writeNext();
    }

    /**
     * CLOSE without EOF, at once: queued writes are dropped, and the peer's stream ends with an error. (MINA's
     * immediate close sends no CLOSE at all, which would leave the peer's end open; its graceful close sends
     * CLOSE right away and waits for the peer's.)
     */
    @Override
    public void abort() {
        synchronized (lock) {
            if (!closed.isDone()) {
                aborted = true;
            }
        }
        channel.close(false);
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone() && !channel.isClosing();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
    }

    @Override
    public String toString() {
        return "ChannelStream[" + channel + "]";
    }

    private record PendingWrite(ByteBuffer data, boolean eof, CompletableFuture<Void> future) {
        PendingWrite(ByteBuffer data, boolean eof) {
            this(data, eof, new CompletableFuture<>());
        }
    }

    private enum Eof { INSTANCE }

    /** Sends the channel's EOF message. */
    @FunctionalInterface
    public interface EofSender {
        IoWriteFuture sendEof() throws IOException;
    }
}
