package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.interfaces.ssh.internal.io.StreamIoSession;
import io.alknet.stream.support.AbstractByteBufferStream;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.threads.ThreadUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An SSH channel as a {@link TransportStream}; the stream rules are {@link AbstractByteBufferStream}'s.
 *
 * <p>Inbound: data the peer sent on the channel is handed to the stream handler on MINA's thread, and the SSH window
 * is released once the handler took it; while reading is paused the data is held and its window released on delivery,
 * so a slow consumer slows the peer down through SSH flow control. The window grows to cover the path's delay while the
 * consumer keeps up ({@link ReceiveWindow}). Outbound: one write at a time through
 * {@link ChannelDataWriter}, as far as the peer's window allows; EOF after the last write, CLOSE after that.
 */
public final class ChannelStream extends AbstractByteBufferStream {

    private static final int RECYCLED_SIZE = 64 * 1024;
    private static final int RECYCLED_MAX = 16;

    private final AbstractChannel channel;
    private final EofSender eofSender;
    private final ChannelDataWriter writer;
    private final ReceiveWindow receiveWindow;
    private final ConcurrentLinkedQueue<byte[]> recycled = new ConcurrentLinkedQueue<>();
    /** Guarded by this: the channel is open (the peer's window and channel id are known); and an end waiting for it. */
    private boolean outputReady;
    private Runnable waitingForOutput;
    /** Our side closed the channel: gracefully ({@link #close()}) or not ({@link #abort()}). */
    private volatile boolean closedHere;
    private volatile boolean aborted;

    /**
     * @param eofSender      sends SSH_MSG_CHANNEL_EOF (a protected operation of MINA's channel)
     * @param windowAdjuster sends SSH_MSG_CHANNEL_WINDOW_ADJUST (the same), when the receive window grows
     */
    public ChannelStream(AbstractChannel channel, EofSender eofSender, WindowAdjuster windowAdjuster, PeerInfo peer) {
        super(peer);
        this.channel = Objects.requireNonNull(channel, "channel");
        this.eofSender = Objects.requireNonNull(eofSender, "eofSender");
        this.receiveWindow = new ReceiveWindow(channel, Objects.requireNonNull(windowAdjuster, "windowAdjuster"));
        this.writer = new ChannelDataWriter(channel, error -> {
            if (error == null) {
                written(1);
            } else {
                writeFailed(error);
            }
        });
        channel.addCloseFutureListener(f -> transportClosed(closeError()));
    }

    /** The channel is open (the peer's window and channel id are known); a write or an end waiting starts now. */
    public void outputReady() {
        Runnable waiting;
        synchronized (this) {
            outputReady = true;
            waiting = waitingForOutput;
            waitingForOutput = null;
        }
        writer.windowExpanded();
        if (waiting != null) {
            waiting.run();
        }
    }

    /** The peer sent a window adjustment. */
    public void windowExpanded() {
        writer.windowExpanded();
    }

    // ---- called by the channel, on MINA's thread ----

    /** The peer sent data. */
    public void received(byte[] data, int offset, int length) {
        receiveWindow.arrived(length);
        dataArrived(ByteBuffer.wrap(data, offset, length));
    }

    /** The peer sent EOF. */
    public void eofReceived() {
        inputEnded();
    }

    /**
     * The error the handler is told when the channel closed: none for an orderly end; an abort, or a channel that ended
     * (the peer's CLOSE, the session going away) before the peer's EOF, is never a clean end of data.
     */
    private IOException closeError() {
        if (aborted) {
            return new IOException("the channel was aborted");
        }
        if (!isInputEnded() && !closedHere) {
            return new IOException("the channel closed before the end of its data");
        }
        return null;
    }

    // ---- the primitives ----

    @Override
    protected boolean oneWriteAtATime() {
        return true;
    }

    @Override
    protected void deliver(StreamHandler handler, ByteBuffer data) {
        int length = data.remaining();
        handler.onData(data);
        try {
            receiveWindow.release(length);
        } catch (IOException e) {
            transportFailed(e);
        }
    }

    /** The writer waits for the peer's window, which is there once the channel is open. */
    @Override
    protected void doWrite(ByteBuffer data) {
        writer.write(data);
    }

    /**
     * Sends EOF; if the peer's EOF came already, this stream is finished, and the channel's CLOSE goes out with the
     * EOF in one transport write (as OpenSSH's sshd sends them) instead of in a second one moments later.
     */
    @Override
    protected void doShutdownOutput() {
        whenOutputReady(() -> sendEnd(isInputEnded()));
    }

    /** EOF (unless sent) and CLOSE, in one transport write. */
    @Override
    protected void doClose() {
        closedHere = true;
        whenOutputReady(() -> sendEnd(true));
    }

    /**
     * CLOSE without EOF, at once. (MINA's immediate close sends no CLOSE at all, which would leave the peer's end open;
     * its graceful close sends CLOSE right away and waits for the peer's.)
     */
    @Override
    protected void doAbort(Throwable cause) {
        aborted = true;
        channel.close(false);
    }

    @Override
    protected void doPauseReading() {
        // held data keeps its window: the peer stops once the window is used up
        receiveWindow.consumerPaused();
    }

    @Override
    protected void doResumeReading() {
    }

    @Override
    public boolean isOpen() {
        return super.isOpen() && !channel.isClosing();
    }

    /**
     * Copies into a recycled array: MINA copies from it into packets as the peer's window allows, and the array comes
     * back when that is done. Saves allocating (and zeroing) one buffer per read.
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

    private void whenOutputReady(Runnable end) {
        synchronized (this) {
            if (!outputReady) {
                waitingForOutput = end;
                return;
            }
        }
        end.run();
    }

    private void sendEnd(boolean close) {
        try {
            IoWriteFuture written = ThreadUtils.runAsInternal(this, ignored -> close ? sendEofAndClose() : sendEof());
            if (written == null) {
                outputShutdown();
            } else {
                written.addListener(f -> {
                    if (f.getException() == null) {
                        outputShutdown();
                    } else {
                        transportFailed(f.getException());
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            transportFailed(e);
        }
    }

    private IoWriteFuture sendEofAndClose() throws IOException {
        closedHere = true;
        if (!(channel.getSession().getIoSession() instanceof StreamIoSession io)) {
            IoWriteFuture eof = sendEof();
            channel.close(false);
            return eof;
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

    @Override
    public String toString() {
        return "ChannelStream[" + channel + "]";
    }

    /** Sends SSH_MSG_CHANNEL_WINDOW_ADJUST. */
    @FunctionalInterface
    public interface WindowAdjuster {
        void sendWindowAdjust(long bytes) throws IOException;
    }

    /** Sends the channel's EOF message. */
    @FunctionalInterface
    public interface EofSender {
        IoWriteFuture sendEof() throws IOException;
    }
}
