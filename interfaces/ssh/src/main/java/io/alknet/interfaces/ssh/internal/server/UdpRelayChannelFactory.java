package io.alknet.interfaces.ssh.internal.server;

import io.alknet.interfaces.ssh.internal.channel.UdpRelayChannel;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.Session;

/** Accepts alknet's UDP relay channels. */
final class UdpRelayChannelFactory implements ChannelFactory {

    static final UdpRelayChannelFactory INSTANCE = new UdpRelayChannelFactory();

    @Override
    public String getName() {
        return UdpRelayChannel.TYPE;
    }

    @Override
    public Channel createChannel(Session session) {
        return new UdpRelayChannel();
    }
}
