package io.alknet.interfaces.socks5.internal;

import io.alknet.api.ErrorCode;
import io.alknet.api.frontend.FrontEnd;
import io.alknet.api.frontend.Tunnel;
import io.alknet.netty.Bootstraps;
import io.alknet.netty.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.socksx.SocksPortUnificationServerHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A local SOCKS5 proxy ({@code -D}). Each accepted connection is handled by a {@link Socks5Connection};
 * the listener stays open while the tunnel reconnects (requests then fail with "general failure").
 */
final class Socks5FrontEnd implements FrontEnd {

    static final String HANDSHAKE_TIMEOUT = "socks5-handshake-timeout";

    private final InetSocketAddress bindAddress;
    private final Socks5Settings settings;
    private EventLoops.Lease loops;
    private Channel server;
    private volatile SocketAddress bound;

    Socks5FrontEnd(InetSocketAddress bindAddress, Socks5Settings settings) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String description() {
        SocketAddress current = bound != null ? bound : bindAddress;
        String host = ((InetSocketAddress) current).getHostString();
        return "-D " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + ((InetSocketAddress) current).getPort()
                + " (SOCKS5" + (settings.username().isPresent() ? ", password required" : "") + ")";
    }

    @Override
    public synchronized CompletionStage<Void> start(Tunnel tunnel) {
        loops = EventLoops.acquire();
        EventLoops.Lease lease = loops;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(lease.group())
                .channel(lease.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(HANDSHAKE_TIMEOUT, new ReadTimeoutHandler(settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new SocksPortUnificationServerHandler())
                                .addLast(new Socks5Connection(tunnel, settings, lease));
                    }
                });
        return Bootstraps.bind(bootstrap, bindAddress, ErrorCode.INVALID_ARGUMENT, "SOCKS5",
                "is the port in use? pick another with -D PORT, or turn SOCKS5 off with --no-socks5").thenAccept(channel -> {
                    synchronized (this) {
                        server = channel;
                        bound = channel.localAddress();
                    }
                });
    }

    @Override
    public List<SocketAddress> boundAddresses() {
        SocketAddress current = bound;
        return current == null ? List.of() : List.of(current);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close().awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
            server = null;
        }
        if (loops != null) {
            loops.close();
            loops = null;
        }
    }
}
