package com.example.unixtransport;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Dials and listens on Unix-domain sockets: {@code unix://localhost?path=/run/alknet.sock}. The socket file
 * is the {@code path} query parameter (percent-encode spaces and other reserved characters); the host is
 * only there because the address syntax needs one ({@code localhost} by convention), and the port is
 * ignored (callers such as the CLI fill in a default one); listeners report it as {@code 0}. With the
 * {@code directory} setting, an address without a path names a socket there: {@code unix://db:5432} is
 * {@code DIRECTORY/db-5432.sock}, so a server whose forward transport is {@code unix} reaches its targets by name.
 *
 * <p>Security: {@link SecurityLevel#UNPROTECTED}. The bytes never leave the machine, and the file's
 * permissions decide who may connect, but the transport itself neither authenticates the peer nor
 * encrypts: the stream interface on top (SSH) does that, exactly as over plain TCP.
 *
 * <p>Threading: every method may be called from any thread and never blocks; connecting and binding run on
 * a virtual thread each. There is nothing to allocate up front, so {@link #start()} is a no-op.
 */
final class UnixTransport implements Transport {

    static final String SCHEME = "unix";

    private final Set<UnixListener> listeners = ConcurrentHashMap.newKeySet();
    private final Optional<Path> directory;
    private volatile boolean closed;

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

    /** Names are socket files in the directory, never looked up in DNS. */
    @Override
    public boolean resolvesNamesRemotely() {
        return directory.isPresent();
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        Path path;
        try {
            path = socketPath(address, directory);
        } catch (AlknetException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onVirtualThread("unix-connect", () -> {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(path));
                return UnixStream.open(channel);
            } catch (IOException e) {
                closeQuietly(channel);
                throw connectError(e);
            }
        });
    }

    @Override
    public CompletionStage<Listener> listen(TransportAddress address) {
        Path path;
        try {
            path = socketPath(address, directory);
        } catch (AlknetException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onVirtualThread("unix-bind", () -> {
            ServerSocketChannel server = null;
            try {
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                bind(server, path);
                UnixListener listener = new UnixListener(server, address.withPort(0), path, listeners::remove);
                listeners.add(listener);
                if (closed) {
                    listener.close();
                    throw new AlknetException(ErrorCode.INVALID_CONFIG, "the unix transport is closed");
                }
                return listener;
            } catch (IOException e) {
                closeQuietly(server);
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot listen on " + address + ": " + e.getMessage()
                        + " (is another server using the socket? pick another path)");
            }
        });
    }

    /** Binds; a socket file left over by a crashed server (nobody accepts on it) is replaced. */
    private static void bind(ServerSocketChannel server, Path path) throws IOException {
        UnixDomainSocketAddress local = UnixDomainSocketAddress.of(path);
        try {
            server.bind(local);
        } catch (IOException inUse) {
            if (!Files.exists(path) || isLive(local)) {
                throw inUse;
            }
            Files.deleteIfExists(path);
            server.bind(local);
        }
    }

    private static boolean isLive(UnixDomainSocketAddress address) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(address);
        } catch (IOException refused) {
            return false;
        }
    }

    /** The socket file of {@code address}: its path, else HOST-PORT.sock in {@code directory}; refuses neither. */
    static Path socketPath(TransportAddress address, Optional<Path> directory) {
        if (!SCHEME.equals(address.scheme())) {
            throw invalid(address, "the scheme is not " + SCHEME);
        }
        Optional<String> path = address.param("path").filter(p -> !p.isBlank());
        if (path.isEmpty() && directory.isPresent() && address.host().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return directory.get().resolve(address.host() + "-" + address.port() + ".sock");
        }
        return Path.of(path.orElseThrow(() -> invalid(address, "the socket path is missing")));
    }

    private static AlknetException invalid(TransportAddress address, String reason) {
        return new AlknetException(ErrorCode.INVALID_ARGUMENT, "invalid address '" + address + "': " + reason
                + "; expected unix://localhost?path=/path/to/socket");
    }

    /** Like the tcp transport, names no path in the message: it must not reach a log. */
    private static AlknetException connectError(IOException error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("refused") || message.contains("no such file")) {
            return new AlknetException(ErrorCode.TARGET_REFUSED, "connection refused (no server on the socket)");
        }
        if (message.contains("permission denied")) {
            return new AlknetException(ErrorCode.CONNECTION_FAILED, "connection failed: permission denied");
        }
        return new AlknetException(ErrorCode.CONNECTION_FAILED, "connection failed: " + error.getClass().getSimpleName());
    }

    private <T> CompletionStage<T> onVirtualThread(String name, Supplier<T> task) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the unix transport is closed"));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name(name).start(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    /** Closes the listeners still open (the kernel normally closed them already). Idempotent. */
    @Override
    public void close() {
        closed = true;
        List.copyOf(listeners).forEach(UnixListener::close);
    }
}
