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
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Unix-domain sockets: {@code unix://localhost?path=/run/alknet.sock} (the port is ignored, listeners report 0). With the
 * {@code directory} setting, {@code unix://db:5432} is the socket {@code DIRECTORY/db-5432.sock}, so a server whose
 * forward transport is {@code unix} reaches targets by name. {@link SecurityLevel#UNPROTECTED}: file permissions decide
 * who may connect, SSH on top authenticates and encrypts. Streams are {@link BlockingStream}s; an abort is a close,
 * which the peer sees as an end of file (a reset only if it left bytes unread). Every method returns at once: connect
 * and bind run on virtual threads.
 */
final class UnixTransport implements Transport {

    static final String SCHEME = "unix";

    private final Optional<Path> directory;

    UnixTransport(Optional<Path> directory) {
        this.directory = directory;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.UNPROTECTED;
    }

    @Override // names are socket files in the directory, never looked up in DNS
    public boolean resolvesNamesRemotely() {
        return directory.isPresent();
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        return BlockingIo.onVirtualThread("unix-connect", () -> {
            Path path = socketPath(address, directory);
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
        return BlockingIo.onVirtualThread("unix-listen", () -> {
            Path path = socketPath(address, directory);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                bind(server, UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                server.close();
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot listen on " + address + ": " + e.getMessage() + " (in use? pick another path)");
            }
            return AcceptQueue.acceptLoop(address.withPort(0), () -> stream(server.accept()), () -> {
                server.close(); // a pending accept fails with AsynchronousCloseException
                Files.deleteIfExists(path);
            });
        });
    }

    private static BlockingStream stream(SocketChannel channel) throws IOException {
        return BlockingStream.open(PeerInfo.socket(SCHEME, SecurityLevel.UNPROTECTED, channel.getRemoteAddress(),
                channel.getLocalAddress()), BlockingIo.of(channel));
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
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("refused") || message.contains("no such file")
                ? new AlknetException(ErrorCode.TARGET_REFUSED, "connection refused (no server on the socket)")
                : new AlknetException(ErrorCode.CONNECTION_FAILED, "connection failed: "
                        + (message.contains("permission denied") ? "permission denied" : error.getClass().getSimpleName()));
    }

    /** The socket file of {@code address}: its path, else HOST-PORT.sock in {@code directory}; refuses neither. */
    static Path socketPath(TransportAddress address, Optional<Path> directory) {
        Optional<String> path = address.param("path").filter(p -> !p.isBlank());
        boolean named = directory.isPresent() && address.host().matches("[A-Za-z0-9][A-Za-z0-9._-]*");
        if (!SCHEME.equals(address.scheme()) || path.isEmpty() && !named) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "invalid address '" + address
                    + "': expected unix://localhost?path=/path/to/socket" + (directory.isPresent() ? " or unix://NAME:PORT" : ""));
        }
        return path.map(Path::of).orElseGet(() -> directory.orElseThrow().resolve(address.host() + "-" + address.port() + ".sock"));
    }

    @Override
    public void close() { // nothing to release: the kernel closes every listener and stream first
    }
}
