package io.alknet.interfaces.forward.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.frontend.FrontEnd;
import io.alknet.api.frontend.Tunnel;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.Bootstraps;
import io.alknet.netty.EventLoops;
import io.alknet.netty.NettyTransportStream;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A local forward: listens on {@code BIND:PORT}; each accepted connection gets a tunnel channel to
 * {@code HOST:HOSTPORT} (resolved by the server) and the two are spliced. While the session is down,
 * new connections are closed at once; the listener itself stays open across reconnects.
 */
final class LocalForward implements FrontEnd {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.forward");

    private final ForwardSpec spec;
    private EventLoops.Lease loops;
    private Channel server;
    private volatile SocketAddress bound;

    LocalForward(ForwardSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String description() {
        return "-L " + label(bound) + " -> " + spec.host() + ":" + spec.hostPort();
    }

    @Override
    public synchronized CompletionStage<Void> start(Tunnel tunnel) {
        loops = EventLoops.acquire();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted(tunnel, NettyTransportStream.attach(channel, PeerInfo.socket("tcp",
                                SecurityLevel.UNPROTECTED, channel.remoteAddress(), channel.localAddress())));
                    }
                });
        return Bootstraps.bind(bootstrap, new InetSocketAddress(spec.bindHost(), spec.bindPort()), ErrorCode.INVALID_ARGUMENT, "-L",
                "is the port in use? choose another").thenAccept(channel -> {
                    synchronized (this) {
                        server = channel;
                        bound = channel.localAddress();
                    }
                });
    }

    private void accepted(Tunnel tunnel, NettyTransportStream local) {
        tunnel.openChannel(spec.host(), spec.hostPort()).whenComplete((channel, error) -> {
            if (error != null) {
                openFailed(error); // logged without the destination: the code says why
                local.abort();
                return;
            }
            tunnel.splice(local, channel);
        });
    }

    /**
     * A refusal by the server's policy or the identity's quota is the user's to act on, so it is shown with the
     * server's reason (which never names the destination either); other failures are logged for debugging.
     */
    private void openFailed(Throwable error) {
        ErrorCode code = AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED);
        int port = ((InetSocketAddress) bound).getPort();
        if (code == ErrorCode.QUOTA_EXCEEDED || code == ErrorCode.FORWARD_DENIED) {
            LOG.warn("forward.open.refused forward=-L port={} code={} reason=\"{}\"", port, code, reason(error));
        } else {
            LOG.debug("forward.open.failed forward=-L port={} code={}", port, code);
        }
    }

    private static String reason(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return String.valueOf(cause.getMessage()).replace('"', '\'').replaceAll("\\p{Cntrl}", " ");
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

    private static String label(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
