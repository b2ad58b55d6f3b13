package io.alknet.stream.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection with blocking calls, for {@link BlockingStream}: one thread reads while another writes. Ready-made
 * for a {@link SocketChannel} (TCP or Unix-domain), a {@link Socket}, or a pair of streams.
 */
public interface BlockingIo {

    /** Reads into {@code buffer}, blocking until some bytes arrived; -1 at the end of input. */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes from {@code buffer}, blocking while the peer does not take them; returns how many were written. */
    int write(ByteBuffer buffer) throws IOException;

    /** Ends our direction (a half-close); reading goes on. */
    void shutdownOutput() throws IOException;

    /** Closes; a read blocked meanwhile fails (and is ignored). */
    void close() throws IOException;

    /** Closes so that the peer sees an error where the wire can say it (a TCP reset). Default: {@link #close()}. */
    default void reset() throws IOException {
        close();
    }

    /** A blocking step of a connect or a listen (opening, connecting, binding) that may fail. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call} on a new virtual thread named {@code name}, so that a transport's {@code connect} and
     * {@code listen} return at once, as {@link io.alknet.api.transport.Transport} requires, while the blocking work
     * happens there: the stage completes with the result or fails with what {@code call} threw.
     */
    static <T> CompletionStage<T> onVirtualThread(String name, Call<T> call) {
        Objects.requireNonNull(call, "call");
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name(name).start(() -> {
            try {
                result.complete(call.run());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** A connected channel in blocking mode (the default); a TCP reset sets {@code SO_LINGER} to 0. */
    static BlockingIo of(SocketChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return new BlockingIo() {
            @Override
            public int read(ByteBuffer buffer) throws IOException {
                return channel.read(buffer);
            }

            @Override
            public int write(ByteBuffer buffer) throws IOException {
                return channel.write(buffer);
            }

            @Override
            public void shutdownOutput() throws IOException {
                channel.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }

            @Override
            public void reset() throws IOException {
                if (channel.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                channel.close();
            }
        };
    }

    /** A connected socket; a reset sets {@code SO_LINGER} to 0. */
    static BlockingIo of(Socket socket) {
        Objects.requireNonNull(socket, "socket");
        return new StreamIo(socket::getInputStream, socket::getOutputStream) {
            @Override
            public void shutdownOutput() throws IOException {
                socket.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }

            @Override
            public void reset() throws IOException {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        };
    }

    /** Two streams (a process's, say): closing {@code out} is the end of output, closing both the close. */
    static BlockingIo of(InputStream in, OutputStream out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        return new StreamIo(() -> in, () -> out) {
            @Override
            public void shutdownOutput() throws IOException {
                out.close();
            }

            @Override
            public void close() throws IOException {
                try (in) {
                    out.close();
                }
            }
        };
    }
}
