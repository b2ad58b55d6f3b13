package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.Identity;
import io.alknet.api.datagram.Datagram;
import io.alknet.api.datagram.DatagramFraming;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.stream.TransportStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * the channel cannot keep up: that is what UDP promises. Every datagram is received whole (the buffer holds
 * the largest there is); one that cannot be carried (a payload over 65,507 bytes, a denied or unresolvable
 * destination, too many destinations, a full channel) is dropped and counted, never cut, and the counts are
 * logged when the relay closes.
 */
final class UdpRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.udp");

    private static final int MAX_DESTINATIONS = 1024;
    private static final long MAX_PENDING_BYTES = 1024 * 1024;

    private final ServerContext context;
    private final Identity identity;
    private final TransportStream channel;
    private final DatagramChannel socket;
    private final Map<String, CompletableFuture<InetSocketAddress>> destinations = new ConcurrentHashMap<>();
    private final Set<SocketAddress> contacted = ConcurrentHashMap.newKeySet();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
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
                dropped.incrementAndGet();
                return;
            }
            destination = destinations.computeIfAbsent(key,
                    k -> context.resolveDatagramTarget(identity, datagram.host(), datagram.port()).toCompletableFuture());
        }
        destination.whenComplete((address, refused) -> {
            if (refused != null) {
                dropped.incrementAndGet(); // denied by the policy, or the name did not resolve
                return;
            }
            contacted.add(address);
            try {
                socket.send(ByteBuffer.wrap(datagram.payload()), address);
                sent.incrementAndGet();
            } catch (ClosedChannelException e) {
                closed = true;
            } catch (IOException e) {
                dropped.incrementAndGet(); // a datagram that cannot be sent is lost, as UDP allows
            }
        });
    }

    private void receive() {
        // one byte more than any datagram a frame may carry: a larger one (IPv6 allows 65,527) shows as such
        ByteBuffer buffer = ByteBuffer.allocate(DatagramFraming.MAX_PAYLOAD + 1);
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
            if (buffer.remaining() > DatagramFraming.MAX_PAYLOAD) {
                dropped.incrementAndGet();
                continue;
            }
            byte[] payload = new byte[buffer.remaining()];
            buffer.get(payload);
            ByteBuffer frame = DatagramFraming.encodeFrame(new Datagram(source.getAddress().getHostAddress(), source.getPort(), payload));
            int size = frame.remaining();
            if (pending.get() + size > MAX_PENDING_BYTES) {
                dropped.incrementAndGet();
                continue;
            }
            received.incrementAndGet();
            pending.addAndGet(size);
            channel.write(frame).whenComplete((ignored, error) -> pending.addAndGet(-size));
        }
    }

    @Override
    public void close() {
        if (closed && !socket.isOpen()) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        long lost = dropped.get();
        if (lost > 0) {
            LOG.info("udp.relay.closed datagrams_sent={} datagrams_received={} dropped={}", sent.get(), received.get(), lost);
        } else {
            LOG.debug("udp.relay.closed datagrams_sent={} datagrams_received={} dropped=0", sent.get(), received.get());
        }
    }
}
