package com.example.unixtransport;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.stream.support.AcceptQueue;
import io.alknet.stream.support.BlockingIo;
import io.alknet.stream.support.BlockingStream;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Dials and listens on Unix-domain sockets: {@code unix://localhost?path=/run/alknet.sock}. The socket file is the
 * {@code path} query parameter; the host is there because the address syntax needs one ({@code localhost} by
 * convention), and the port is ignored (listeners report {@code 0}).
 *
 * <p>Security: {@link SecurityLevel#UNPROTECTED}. The file's permissions decide who may connect, but the transport
 * neither authenticates nor encrypts: the stream interface on top (SSH) does, as over plain TCP.
 *
 * <p>Streams are {@link BlockingStream}s (blocking I/O on virtual threads). A Unix socket cannot tell the peer
 * "aborted": an abort is a close, which it sees as an end of file (unless it left bytes unread, when Linux reports a
 * reset); so a splice over this transport passes an abort on as an end of data. Keep it to trusted local peers.
 *
 * <p>Threading: every method may be called from any thread and never blocks; connecting and binding run on virtual
 * threads.
 */
final class UnixTransport implements Transport {

    static final String SCHEME = "unix";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.UNPROTECTED;
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        return onVirtualThread(address, path -> {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
                return stream(channel);
            } catch (IOException e) {
                channel.close();
                throw connectError(e);
            }
        });
    }

    @Override
    public CompletionStage<Listener> listen(TransportAddress address) {
        return onVirtualThread(address, path -> {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                bind(server, UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                server.close();
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot listen on " + address + ": " + e.getMessage()
                        + " (is another server using the socket? pick another path)");
            }
            return AcceptQueue.acceptLoop(address.withPort(0), () -> stream(server.accept()), () -> {
                server.close(); // a pending accept fails with AsynchronousCloseException
                Files.deleteIfExists(path);
            });
        });
    }

    private static BlockingStream stream(SocketChannel channel) throws IOException {
        PeerInfo peer = PeerInfo.socket(SCHEME, SecurityLevel.UNPROTECTED, channel.getRemoteAddress(), channel.getLocalAddress());
        return BlockingStream.open(peer, BlockingIo.of(channel));
    }

    /** Binds; a socket file left over by a crashed server (nobody accepts on it) is replaced. */
    private static void bind(ServerSocketChannel server, UnixDomainSocketAddress local) throws IOException {
        try {
            server.bind(local);
        } catch (IOException inUse) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(local);
            } catch (IOException nobodyThere) {
                Files.deleteIfExists(local.getPath());
                server.bind(local);
                return;
            }
            throw inUse;
        }
    }

    /** Like the tcp transport, names no path in the message: it must not reach a log. */
    private static AlknetException connectError(IOException error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("refused") || message.contains("no such file")) {
            return new AlknetException(ErrorCode.TARGET_REFUSED, "connection refused (no server on the socket)");
        }
        return new AlknetException(ErrorCode.CONNECTION_FAILED, "connection failed: "
                + (message.contains("permission denied") ? "permission denied" : error.getClass().getSimpleName()));
    }

    /** Runs {@code task} with the address's socket file on a virtual thread; a bad address fails at once. */
    private static <T> CompletionStage<T> onVirtualThread(TransportAddress address, PathTask<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        String path = address.param("path").orElse("");
        if (!SCHEME.equals(address.scheme()) || path.isBlank()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.INVALID_ARGUMENT, "invalid address '"
                    + address + "': expected unix://localhost?path=/path/to/socket"));
        }
        Thread.ofVirtual().name("unix-io").start(() -> {
            try {
                result.complete(task.run(Path.of(path)));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private interface PathTask<T> {
        T run(Path path) throws IOException;
    }

    /** Nothing to release: the kernel closes every listener and stream first. */
    @Override
    public void close() {
    }
}
