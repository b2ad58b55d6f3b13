package io.alknet.netty;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;
import io.alknet.stream.support.AcceptQueue;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The socket options every alknet stream needs, in one place for the Netty transports: reading starts only
 * when the stream is started ({@code AUTO_READ} off), half-close is kept, Nagle is off, keepalive on.
 */
public final class Bootstraps {

    private Bootstraps() {
    }

    /** A client bootstrap on {@code group}; {@code init} sets up each new channel's pipeline. */
    public static Bootstrap client(EventLoopGroup group, EventLoops.Lease lease, Duration connectTimeout, Consumer<SocketChannel> init) {
        return new Bootstrap()
                .group(group)
                .channelFactory(lease.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        init.accept(channel);
                    }
                });
    }

    /**
     * Binds a front end's or interface's listening socket.
     *
     * @param purpose what listens, for the error: {@code "SOCKS5"}, {@code "-L"}, {@code "HTTP"}
     * @param hint    what the user can do, for the error: {@code "pick another with -D PORT"}
     * @return the bound server channel; or exceptionally with an {@code AlknetException} of {@code code}
     *     naming the address, the cause and the hint
     */
    public static CompletionStage<io.netty.channel.Channel> bind(ServerBootstrap bootstrap, InetSocketAddress address,
                                                                 ErrorCode code, String purpose, String hint) {
        if (address.isUnresolved()) {
            return CompletableFuture.failedFuture(new AlknetException(code,
                    "cannot listen on " + address.getHostString() + " for " + purpose + ": the name does not resolve"));
        }
        CompletableFuture<io.netty.channel.Channel> result = new CompletableFuture<>();
        ChannelFuture bind = bootstrap.bind(address);
        bind.addListener(f -> {
            if (f.isSuccess()) {
                result.complete(bind.channel());
            } else {
                String host = address.getHostString();
                result.completeExceptionally(new AlknetException(code, "cannot listen on "
                        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort() + " for " + purpose + ": "
                        + f.cause().getMessage() + " (" + hint + ")"));
            }
        });
        return result;
    }

    /**
     * Binds {@code address} ({@code *} or an empty host: every interface) and returns a listener whose
     * accepted connections {@code init} turns into streams offered to the queue (at once, or after a
     * handshake).
     */
    public static CompletionStage<Listener> listen(EventLoops.Lease lease, TransportAddress address, int backlog,
                                                   BiConsumer<SocketChannel, AcceptQueue> init) {
        InetSocketAddress bindAddress = address.host().isEmpty() || address.host().equals("*")
                ? new InetSocketAddress(address.port())
                : new InetSocketAddress(address.host(), address.port());
        if (bindAddress.isUnresolved()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.INVALID_ARGUMENT,
                    "cannot listen on " + address + ": the host name does not resolve"));
        }
        AcceptQueue listener = new AcceptQueue();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(lease.group())
                .channel(lease.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        init.accept(channel, listener);
                    }
                });
        CompletableFuture<Listener> result = new CompletableFuture<>();
        ChannelFuture bind = bootstrap.bind(bindAddress);
        bind.addListener(f -> {
            if (f.isSuccess()) {
                io.netty.channel.Channel server = bind.channel();
                InetSocketAddress bound = (InetSocketAddress) server.localAddress();
                listener.bound(address.withPort(bound.getPort()), () -> {
                    var closing = server.close();
                    if (!server.eventLoop().inEventLoop()) {
                        closing.syncUninterruptibly(); // the port is free when close() returns
                    }
                });
                result.complete(listener);
            } else {
                result.completeExceptionally(new AlknetException(ErrorCode.INVALID_CONFIG, "cannot listen on " + address + ": "
                        + f.cause().getMessage() + " (is another process using the port? pick another with --listen)"));
            }
        });
        return result;
    }
}
