package io.alknet.transport.tcp.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.net.TargetHost;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.netty.Bootstraps;
import io.alknet.netty.EventLoops;
import io.alknet.netty.NettyTransportStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Plain TCP on Netty. Dials and listens on {@code tcp://host:port}; a host name is resolved by the JDK
 * resolver at dial time (the kernel passes IP literals for forward targets it already checked), or, with a
 * proxy, handed to the proxy unresolved.
 */
final class TcpTransport implements Transport {

    private static final String PROXY = "proxy";

    private final TcpSettings settings;
    private EventLoops.Lease loops;

    TcpTransport(TcpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String scheme() {
        return "tcp";
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.UNPROTECTED;
    }

    @Override
    public synchronized void start() {
        if (loops == null) {
            loops = EventLoops.acquire();
        }
    }

    private synchronized EventLoops.Lease loops() {
        if (loops == null) {
            throw new IllegalStateException("tcp transport is not started");
        }
        return loops;
    }

    /** With a proxy, names go to it unresolved (spec decision 7: no DNS leak around the proxy). */
    @Override
    public boolean resolvesNamesRemotely() {
        return settings.proxy().isPresent();
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        return connect(address, (TransportStream) null);
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address, TransportStream near) {
        EventLoops.Lease lease = loops();
        CompletableFuture<TransportStream> result = new CompletableFuture<>();
        // share the session's I/O thread when the session is ours: no hand-off per write
        Bootstrap bootstrap = Bootstraps.client(near instanceof NettyTransportStream netty ? netty.channel().eventLoop() : lease.group(),
                lease, settings.connectTimeout(), channel -> settings.proxy().ifPresent(proxy ->
                        channel.pipeline().addFirst(PROXY, proxy.handler(settings.connectTimeout().toMillis()))));
        if (settings.proxy().isPresent()) {
            return viaProxy(bootstrap, address, result);
        }
        InetSocketAddress target;
        try {
            target = new InetSocketAddress(address.host(), address.port());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.INVALID_ARGUMENT, "invalid tcp address: " + e.getMessage()));
        }
        if (target.isUnresolved()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.TARGET_UNRESOLVED, "host name does not resolve"));
        }
        ChannelFuture connect = bootstrap.connect(target);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                Channel channel = connect.channel();
                result.complete(NettyTransportStream.attach(channel, peerOf(channel)));
            } else {
                result.completeExceptionally(ConnectErrors.map(f.cause()));
            }
        });
        return result;
    }

    /** Through the proxy: the proxy resolves names (no lookup here), and the stream starts once it connected. */
    private CompletionStage<TransportStream> viaProxy(Bootstrap bootstrap, TransportAddress address, CompletableFuture<TransportStream> result) {
        bootstrap.resolver(io.netty.resolver.NoopAddressResolverGroup.INSTANCE);
        // an address goes to the proxy as an address (SOCKS5 ATYP IPv4/IPv6), a name as a name: no lookup either way
        Optional<InetAddress> literal;
        try {
            literal = TargetHost.literal(address.host());
        } catch (AlknetException e) {
            return CompletableFuture.failedFuture(e);
        }
        ChannelFuture connect = bootstrap.connect(literal.map(ip -> new InetSocketAddress(ip, address.port()))
                .orElseGet(() -> InetSocketAddress.createUnresolved(address.host(), address.port())));
        io.alknet.netty.Proxies.Proxy proxy = settings.proxy().get();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                AlknetException viaProxy = io.alknet.netty.Proxies.failure(f.cause(), proxy);
                AlknetException direct = ConnectErrors.map(f.cause());
                result.completeExceptionally(viaProxy != null ? viaProxy : new AlknetException(direct.code(),
                        "cannot reach the proxy " + proxy + ": " + direct.getMessage()));
                return;
            }
            Channel channel = connect.channel();
            io.netty.handler.proxy.ProxyHandler handler = (io.netty.handler.proxy.ProxyHandler) channel.pipeline().get(PROXY);
            channel.read();
            handler.connectFuture().addListener(ready -> {
                if (ready.isSuccess()) {
                    result.complete(NettyTransportStream.attach(channel, peerOf(channel)));
                } else {
                    channel.close();
                    AlknetException viaProxy = io.alknet.netty.Proxies.failure(ready.cause(), proxy);
                    result.completeExceptionally(viaProxy != null ? viaProxy : new AlknetException(ErrorCode.CONNECTION_FAILED,
                            "the proxy " + proxy + " failed"));
                }
            });
        });
        return result;
    }

    @Override
    public CompletionStage<Listener> listen(TransportAddress address) {
        return Bootstraps.listen(loops(), address, settings.backlog(),
                (channel, accepted) -> accepted.offer(NettyTransportStream.attach(channel, peerOf(channel))));
    }

    private static PeerInfo peerOf(Channel channel) {
        return PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, channel.remoteAddress(), channel.localAddress());
    }

    @Override
    public synchronized void close() {
        if (loops != null) {
            loops.close();
            loops = null;
        }
    }
}
