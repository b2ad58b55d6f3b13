package io.alknet.interfaces.socks5.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.datagram.Datagram;
import io.alknet.api.datagram.DatagramFraming;
import io.alknet.api.frontend.Tunnel;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.netty.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UDP ASSOCIATE (RFC 1928 section 7): a local UDP socket for the application, and a relay channel through
 * the tunnel to the server, which sends the datagrams on. The association lives as long as the SOCKS TCP
 * connection: it ends when that connection ends or half-closes. Only datagrams from the SOCKS client's IP
 * are accepted; fragmented datagrams (FRAG != 0) and malformed headers are dropped, as the RFC asks of
 * implementations without reassembly. Any datagram UDP can carry is received whole (up to 65,535 bytes, not
 * Netty's default 2,048); one that cannot be carried on (a payload over 65,507 bytes, a reply too large for
 * the application's socket, more than {@value #MAX_PENDING_BYTES} bytes waiting for the tunnel) is dropped and
 * counted, never cut. The counts are logged when the association ends. Destinations are never logged.
 */
final class UdpAssociation {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.socks5");
    /** RSV (2 bytes) and FRAG (1 byte) in front of every SOCKS5 UDP datagram. */
    private static final int HEADER_PREFIX = 3;
    /** Room for the largest UDP datagram there is: nothing is ever cut short on receipt. */
    private static final int RECEIVE_BUFFER = 65_536;
    /** Datagrams waiting for the tunnel beyond this are dropped: UDP may lose, it must not queue without bound. */
    static final long MAX_PENDING_BYTES = 1024 * 1024;

    private final ChannelHandlerContext control;
    private final TransportStream relay;
    private final Tunnel tunnel;
    private final InetAddress clientIp;
    private Channel udp;
    private volatile InetSocketAddress client;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private UdpAssociation(ChannelHandlerContext control, TransportStream relay, Tunnel tunnel) {
        this.control = control;
        this.relay = relay;
        this.tunnel = tunnel;
        this.clientIp = ((InetSocketAddress) control.channel().remoteAddress()).getAddress();
    }

    static void start(ChannelHandlerContext ctx, Tunnel tunnel, EventLoops.Lease loops) {
        tunnel.openUdpRelay().whenComplete((relay, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                Socks5CommandStatus status = AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED) == ErrorCode.UNSUPPORTED
                        ? Socks5CommandStatus.COMMAND_UNSUPPORTED : Replies.statusFor(error);
                LOG.debug("socks.udp.failed code={} status={}", AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED), status);
                ctx.writeAndFlush(Replies.reply(status)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (!ctx.channel().isActive()) {
                relay.abort();
                return;
            }
            new UdpAssociation(ctx, relay, tunnel).bind(loops);
        }));
    }

    private void bind(EventLoops.Lease loops) {
        InetAddress local = ((InetSocketAddress) control.channel().localAddress()).getAddress();
        new Bootstrap().group(loops.group()).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        fromApplication(packet);
                    }
                })
                .bind(new InetSocketAddress(local, 0)).addListener(bound -> control.executor().execute(() -> {
                    if (!bound.isSuccess()) {
                        relay.abort();
                        control.writeAndFlush(Replies.reply(Socks5CommandStatus.FAILURE)).addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    udp = ((io.netty.channel.ChannelFuture) bound).channel();
                    InetSocketAddress address = (InetSocketAddress) udp.localAddress();
                    Socks5AddressType type = address.getAddress() instanceof Inet6Address ? Socks5AddressType.IPv6 : Socks5AddressType.IPv4;
                    control.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, type,
                            address.getAddress().getHostAddress(), address.getPort()));
                    relay.start(new FromRelay());
                    // The association ends with the TCP connection, and the other way round.
                    control.channel().closeFuture().addListener(f -> close());
                    relay.closeFuture().whenComplete((ignored, error) -> close());
                    udp.closeFuture().addListener(f -> close());
                }));
    }

    private void fromApplication(DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        if (!sender.getAddress().equals(clientIp)) {
            drop("datagram from an address other than the SOCKS client");
            return;
        }
        ByteBuf content = packet.content();
        if (content.readableBytes() < HEADER_PREFIX + 1) {
            drop("truncated header");
            return;
        }
        if (content.getShort(content.readerIndex()) != 0) {
            drop("reserved bytes not zero");
            return;
        }
        if (content.getByte(content.readerIndex() + 2) != 0) {
            drop("fragment (FRAG != 0) not supported");
            return;
        }
        ByteBuffer body = ByteBuffer.allocate(content.readableBytes() - HEADER_PREFIX);
        content.getBytes(content.readerIndex() + HEADER_PREFIX, body);
        body.flip();
        Datagram datagram;
        ByteBuffer frame;
        try {
            datagram = DatagramFraming.decodeBody(body);
            frame = DatagramFraming.encodeFrame(datagram);
        } catch (IllegalArgumentException e) {
            drop(e.getMessage());
            return;
        }
        client = sender;
        int size = frame.remaining();
        if (pending.addAndGet(size) > MAX_PENDING_BYTES) {
            pending.addAndGet(-size);
            drop("the tunnel is not keeping up");
            return;
        }
        sent.incrementAndGet();
        tunnel.carried(size, 0);
        relay.write(frame).whenComplete((ignored, error) -> pending.addAndGet(-size));
    }

    private void drop(String reason) {
        dropped.incrementAndGet();
        LOG.debug("socks.udp.dropped reason={}", reason);
    }

    /** Frames from the server: each a reply datagram naming its source, sent on to the application. */
    private final class FromRelay implements StreamHandler {
        private final DatagramFraming.Decoder decoder = new DatagramFraming.Decoder();

        @Override
        public void onData(ByteBuffer data) {
            tunnel.carried(0, data.remaining());
            java.util.List<Datagram> datagrams;
            try {
                datagrams = decoder.feed(data);
            } catch (IllegalArgumentException malformed) {
                relay.abort();
                return;
            }
            InetSocketAddress destination = client;
            Channel socket = udp;
            if (destination == null || socket == null) {
                return;
            }
            for (Datagram datagram : datagrams) {
                ByteBuffer reply = DatagramFraming.encodeBody(datagram, HEADER_PREFIX);
                received.incrementAndGet();
                socket.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), destination)).addListener(written -> {
                    if (!written.isSuccess()) {
                        // e.g. a 65,507-byte reply plus its SOCKS header is too large for an IPv4 socket
                        received.decrementAndGet();
                        drop("reply not deliverable to the application: " + written.cause().getMessage());
                    }
                });
            }
        }

        @Override
        public void onInputClosed() {
            relay.close();
        }

        @Override
        public void onClosed(Throwable error) {
            close();
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        relay.close();
        if (udp != null) {
            udp.close();
        }
        control.close();
        long lost = dropped.get();
        if (lost > 0) {
            LOG.info("socks.udp.closed datagrams_sent={} datagrams_received={} dropped={}", sent.get(), received.get(), lost);
        } else {
            LOG.debug("socks.udp.closed datagrams_sent={} datagrams_received={} dropped=0", sent.get(), received.get());
        }
    }
}
