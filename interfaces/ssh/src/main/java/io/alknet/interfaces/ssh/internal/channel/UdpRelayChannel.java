package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.Identity;
import io.alknet.api.datagram.Datagram;
import io.alknet.api.datagram.DatagramFraming;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.interfaces.ssh.internal.server.ServerSessions;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The server side of a UDP relay channel ({@value #TYPE}): frames from the client are sent as UDP
 * datagrams to their (policy-checked) destinations, and replies come back as frames naming their
 * source. See {@code docs/udp-over-ssh.md}.
 */
public final class UdpRelayChannel extends StreamServerChannel {

    /** The SSH channel type, in the private namespace of alknet.io. */
    public static final String TYPE = "udp-relay@alknet.io";

    private UdpRelay relay;

    public UdpRelayChannel() {
        super("UDP relay");
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        OpenFuture opened = new DefaultOpenFuture(this, futureLock);
        ServerContext context = ServerSessions.context(getSession());
        Optional<Identity> identity = ServerSessions.identity(getSession());
        if (context == null || identity.isEmpty()) {
            opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                    "not authenticated"));
            close(true);
            return opened;
        }
        try {
                stream = new ChannelStream(this, this::sendEof, this::sendWindowAdjust, PeerInfo.socket("ssh", SecurityLevel.TLS_EQUIVALENT, null, null));
            stream.outputReady();
            relay = new UdpRelay(context, identity.get(), stream);
        } catch (IOException e) {
            opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_RESOURCE_SHORTAGE,
                    "cannot open a UDP socket"));
            close(true);
            return opened;
        }
        signalChannelOpenSuccess();
        opened.setOpened();
        DatagramFraming.Decoder decoder = new DatagramFraming.Decoder();
        UdpRelay current = relay;
        stream.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                try {
                    for (Datagram datagram : decoder.feed(data)) {
                        current.send(datagram);
                    }
                } catch (IllegalArgumentException malformed) {
                    stream.abort(); // the client broke the framing: nothing after this can be trusted
                }
            }

            @Override
            public void onInputClosed() {
                stream.close();
            }

            @Override
            public void onClosed(Throwable error) {
                current.close();
            }
        });
        return opened;
    }

    @Override
    protected org.apache.sshd.common.Closeable getInnerCloseable() {
        if (relay != null) {
            relay.close();
        }
        return super.getInnerCloseable();
    }
}
