package io.alknet.ssh.internal.channel;

import io.alknet.api.Identity;
import io.alknet.api.datagram.Datagram;
import io.alknet.api.datagram.DatagramFraming;
import io.alknet.api.iface.ServerContext;
import io.alknet.api.stream.TransportStream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One UDP socket serving one relay channel. Destinations are checked once each (the kernel resolves and
 * applies the policy) and cached for the relay's life; replies are only accepted from destinations this
 * relay sent to, like an address-restricted NAT. Datagrams are dropped, never queued without bound, when
 * the channel cannot keep up: that is what UDP promises.
 */
final class UdpRelay implements AutoCloseable {

    private static final int MAX_DESTINATIONS = 1024;
    private static final long MAX_PENDING_BYTES = 1024 * 1024;

    private final ServerContext context;
    private final Identity identity;
    private final TransportStream channel;
    private final DatagramChannel socket;
    private final Map<String, CompletableFuture<InetSocketAddress>> destinations = new ConcurrentHashMap<>();
    private final Set<SocketAddress> contacted = ConcurrentHashMap.newKeySet();
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean closed;

    UdpRelay(ServerContext context, Identity identity, TransportStream channel) throws IOException {
        this.context = context;
        this.identity = identity;
        this.channel = channel;
        this.socket = DatagramChannel.open();
        socket.bind(null);
        Thread.ofVirtual().name("alknet-udp-relay").start(this::receive);
    }

    void send(Datagram datagram) {
        if (closed) {
            return;
        }
        String key = datagram.host() + "|" + datagram.port();
        CompletableFuture<InetSocketAddress> destination = destinations.get(key);
        if (destination == null) {
            if (destinations.size() >= MAX_DESTINATIONS) {
                return;
            }
            destination = destinations.computeIfAbsent(key,
                    k -> context.resolveDatagramTarget(identity, datagram.host(), datagram.port()).toCompletableFuture());
        }
        destination.thenAccept(address -> {
            contacted.add(address);
            try {
                socket.send(ByteBuffer.wrap(datagram.payload()), address);
            } catch (ClosedChannelException e) {
                closed = true;
            } catch (IOException e) {
                // a datagram that cannot be sent is lost, as UDP allows
            }
        });
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(DatagramFraming.MAX_PAYLOAD);
        while (!closed) {
            buffer.clear();
            SocketAddress from;
            try {
                from = socket.receive(buffer);
            } catch (IOException e) {
                close();
                return;
            }
            if (!(from instanceof InetSocketAddress source) || !contacted.contains(source)) {
                continue;
            }
            buffer.flip();
            byte[] payload = new byte[buffer.remaining()];
            buffer.get(payload);
            ByteBuffer frame = DatagramFraming.encodeFrame(new Datagram(source.getAddress().getHostAddress(), source.getPort(), payload));
            int size = frame.remaining();
            if (pending.get() + size > MAX_PENDING_BYTES) {
                continue;
            }
            pending.addAndGet(size);
            channel.write(frame).whenComplete((ignored, error) -> pending.addAndGet(-size));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
