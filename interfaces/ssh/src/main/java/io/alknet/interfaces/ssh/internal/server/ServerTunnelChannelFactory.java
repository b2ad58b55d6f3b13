package io.alknet.interfaces.ssh.internal.server;

import io.alknet.interfaces.ssh.internal.channel.ServerTunnelChannel;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.Session;

/** The only channel type the server accepts: {@code direct-tcpip}. */
final class ServerTunnelChannelFactory implements ChannelFactory {

    static final ServerTunnelChannelFactory INSTANCE = new ServerTunnelChannelFactory();

    @Override
    public String getName() {
        return "direct-tcpip";
    }

    @Override
    public Channel createChannel(Session session) {
        return new ServerTunnelChannel();
    }
}
