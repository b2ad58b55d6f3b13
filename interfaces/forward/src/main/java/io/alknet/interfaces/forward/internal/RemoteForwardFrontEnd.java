package io.alknet.interfaces.forward.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.frontend.FrontEnd;
import io.alknet.api.frontend.Tunnel;
import io.alknet.api.interfaces.RemoteForward;
import io.alknet.api.interfaces.TunnelSession;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.Splice;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.EventLoops;
import io.alknet.netty.NettyTransportStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A remote forward ({@code -R}): on every session (first connect and each reconnect) asks the server to
 * listen on {@code BIND:PORT}; each connection the server sends back is connected to {@code HOST:HOSTPORT}
 * on this side and spliced.
 */
final class RemoteForwardFrontEnd implements FrontEnd {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.forward");

    private final ForwardSpec spec;
    private EventLoops.Lease loops;
    private volatile RemoteForward current;

    RemoteForwardFrontEnd(ForwardSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String description() {
        RemoteForward forward = current;
        int port = forward != null ? forward.boundPort() : spec.bindPort();
        String bind = spec.bindHost().indexOf(':') >= 0 ? "[" + spec.bindHost() + "]" : spec.bindHost();
        return "-R " + bind + ":" + port + " (on the server) -> " + spec.host() + ":" + spec.hostPort();
    }

    @Override
    public synchronized CompletionStage<Void> start(Tunnel tunnel) {
        loops = EventLoops.acquire();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> sessionUp(TunnelSession session) {
        return session.requestRemoteForward(spec.bindHost(), spec.bindPort(), this::incoming)
                .thenAccept(forward -> current = forward);
    }

    private void incoming(TransportStream channel, String originatorHost, int originatorPort) {
        CompletableFuture.supplyAsync(this::resolveTarget, command -> Thread.ofVirtual().start(command))
                .thenCompose(this::connect)
                .whenComplete((local, error) -> {
                    if (error != null) {
                        LOG.debug("forward.connect.failed forward=-R code={}", AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED));
                        channel.abort();
                        return;
                    }
                    Splice.start(channel, local);
                });
    }

    private InetSocketAddress resolveTarget() {
        try {
            return new InetSocketAddress(InetAddress.getByName(spec.host()), spec.hostPort());
        } catch (UnknownHostException e) {
            throw new AlknetException(ErrorCode.TARGET_UNRESOLVED, "host name does not resolve");
        }
    }

    private CompletionStage<TransportStream> connect(InetSocketAddress target) {
        EventLoops.Lease lease;
        synchronized (this) {
            lease = loops;
        }
        if (lease == null) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.SESSION_CLOSED, "forward closed"));
        }
        CompletableFuture<TransportStream> result = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap().group(lease.group()).channelFactory(lease.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // the stream adapter is attached once connected
                    }
                })
                .connect(target);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                Channel channel = connect.channel();
                result.complete(NettyTransportStream.attach(channel, PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED,
                        channel.remoteAddress(), channel.localAddress())));
            } else {
                result.completeExceptionally(new AlknetException(ErrorCode.TARGET_REFUSED, "connection failed"));
            }
        });
        return result;
    }

    @Override
    public List<SocketAddress> boundAddresses() {
        return List.of();
    }

    @Override
    public synchronized void close() {
        RemoteForward forward = current;
        current = null;
        if (forward != null) {
            forward.cancel();
        }
        if (loops != null) {
            loops.close();
            loops = null;
        }
    }
}
