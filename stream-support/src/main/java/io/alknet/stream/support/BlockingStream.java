package io.alknet.stream.support;

import io.alknet.api.stream.PeerInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link io.alknet.api.stream.TransportStream} over a connection with blocking calls ({@link BlockingIo}: a
 * {@code SocketChannel}, a {@code Socket}, an input and an output stream), on two virtual threads: a reader, started
 * with the stream, and a writer, started by the first write. Everything else (ordering, pause, ends after the last
 * write, abort, telling the handler) is {@link AbstractTransportStream}'s.
 *
 * <ul>
 *   <li>The reader reads up to {@value #READ_BUFFER} bytes at a time and hands them to the handler without a copy
 *       (unless they must wait); while reading is paused it reads nothing, so the peer's writes stop when the
 *       connection's buffers are full. A read under way when the stream is paused delivers at most one buffer.</li>
 *   <li>The writer takes one write at a time: its stage completes once the bytes are written, and while the peer does
 *       not read the write blocks and the stages stop completing, which is the back-pressure callers see. Half-close
 *       and close run on it too, after the last write.</li>
 * </ul>
 * Whether a peer can tell an abort from a clean end depends on the wire: TCP gets a reset, a Unix-domain socket or a
 * pipe only an end of file.
 */
public final class BlockingStream extends AbstractByteBufferStream {

    /** The largest read handed to the handler at once. */
    public static final int READ_BUFFER = 64 * 1024;

    private static final Object SHUTDOWN = new Object();
    private static final Object CLOSE = new Object();

    private final BlockingIo io;
    /** The writer's next task: a buffer to write, SHUTDOWN or CLOSE; handed over from the outbound executor. */
    private volatile Object next;
    /** Set once the connection is closed or reset: the threads stop, and what they fail with then is expected. */
    private volatile boolean done;
    private volatile boolean paused = true;
    private volatile long bytesWritten;
    // Outbound executor only.
    private volatile Thread writer;
    // Inbound executor only.
    private volatile Thread reader;

    private BlockingStream(PeerInfo peer, BlockingIo io) {
        super(peer);
        this.io = io;
    }

    /** Wraps {@code io}, which is connected; nothing is read before the stream is started. */
    public static BlockingStream open(PeerInfo peer, BlockingIo io) {
        return new BlockingStream(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(io, "io"));
    }

    @Override
    protected boolean oneWriteAtATime() {
        return true;
    }

    @Override
    protected void doWrite(ByteBuffer data) {
        hand(data);
    }

    @Override
    protected void doShutdownOutput() {
        hand(SHUTDOWN);
    }

    @Override
    protected void doClose() {
        hand(CLOSE);
    }

    @Override
    protected void doAbort(Throwable cause) {
        done = true;
        try {
            io.reset();
        } catch (IOException | RuntimeException ignored) {
            // closed anyway
        }
        wake();
        transportClosed(cause);
    }

    @Override
    protected void doPauseReading() {
        paused = true;
    }

    @Override
    protected void doResumeReading() {
        paused = false;
        if (reader == null) {
            reader = Thread.ofVirtual().name("alknet-read").start(this::readLoop);
        } else {
            LockSupport.unpark(reader);
        }
    }

    @Override
    protected long outboundProgress() {
        return bytesWritten;
    }

    private void hand(Object task) {
        next = task;
        if (writer == null) {
            writer = Thread.ofVirtual().name("alknet-write").start(this::writeLoop);
        } else {
            LockSupport.unpark(writer);
        }
    }

    private void wake() {
        Thread w = writer;
        Thread r = reader;
        if (w != null) {
            LockSupport.unpark(w);
        }
        if (r != null) {
            LockSupport.unpark(r);
        }
    }

    private void writeLoop() {
        while (!done) {
            Object task = next;
            if (task == null) {
                LockSupport.park(this);
                continue;
            }
            next = null;
            if (task == SHUTDOWN) {
                try {
                    io.shutdownOutput();
                    outputShutdown();
                } catch (IOException | RuntimeException e) {
                    transportFailed(e);
                }
            } else if (task == CLOSE) {
                done = true;
                IOException error = null;
                try {
                    io.close();
                } catch (IOException e) {
                    error = e;
                }
                wake();
                transportClosed(error);
            } else {
                writeFully((ByteBuffer) task);
            }
        }
    }

    private void writeFully(ByteBuffer data) {
        try {
            while (data.hasRemaining()) {
                bytesWritten += io.write(data);
            }
        } catch (IOException | RuntimeException e) {
            writeFailed(e); // after an abort the stream failed already
            return;
        }
        written(1); // may hand this thread the next write at once
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        try {
            while (true) {
                while (paused && !done) {
                    LockSupport.park(this);
                }
                if (done) {
                    return;
                }
                buffer.clear();
                if (io.read(buffer) < 0) {
                    inputEnded();
                    return;
                }
                dataArrived(buffer.flip()); // copied only if it must wait: the buffer is reused
            }
        } catch (IOException | RuntimeException e) {
            if (!done) {
                transportFailed(e);
            }
        }
    }

    @Override
    public String toString() {
        return "BlockingStream[" + peer().transport() + " " + peer().remoteLabel() + "]";
    }
}
