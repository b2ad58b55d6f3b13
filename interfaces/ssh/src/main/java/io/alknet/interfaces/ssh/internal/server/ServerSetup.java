package io.alknet.interfaces.ssh.internal.server;

import io.alknet.interfaces.ssh.internal.SshSettings;
import io.alknet.interfaces.ssh.internal.Algorithms;
import io.alknet.interfaces.ssh.internal.ChannelProperties;
import io.alknet.interfaces.ssh.internal.io.StreamAcceptor;
import io.alknet.interfaces.ssh.internal.io.StreamIoServiceFactoryFactory;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.global.NoMoreSessionsHandler;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * Builds alknet's MINA server: public-key authentication only (through the kernel's identity chain, never
 * asynchronously; an attempt with any other method is a failed login), modern algorithms with AES-GCM first,
 * {@code direct-tcpip} as the only channel type and {@code tcpip-forward} gated by the forwarding policy. No
 * shell, exec, SFTP, agent or X11.
 */
public final class ServerSetup {

    private ServerSetup() {
    }

    public static SshServer create(SshSettings settings, KeyPair hostKey) {
        StreamSshServer server = (StreamSshServer) ServerBuilder.builder().factory(StreamSshServer::new).build();
        server.setIoServiceFactoryFactory(new StreamIoServiceFactoryFactory());
        server.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false, Algorithms.keyExchanges(), ServerBuilder.DH2KEX));
        server.setCipherFactories(Algorithms.ciphers(settings.ciphers()));
        server.setMacFactories(Algorithms.macs());
        server.setSignatureFactories(Algorithms.signatures());
        server.setCompressionFactories(Algorithms.compressions());
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));

        server.setUserAuthFactories(List.of(LoggingPublicKeyAuth.FACTORY));
        server.setPublickeyAuthenticator(new IdentityAuthenticator());
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);

        server.setServiceFactories(List.of(CountingUserAuthService.FACTORY, ExplainingConnectionService.FACTORY));
        server.addSessionListener(ProtocolErrors.INSTANCE);
        server.setChannelFactories(List.of(ServerTunnelChannelFactory.INSTANCE, UdpRelayChannelFactory.INSTANCE));
        server.setForwardingFilter(PolicyForwardingFilter.INSTANCE);
        server.setGlobalRequestHandlers(List.of(new RemoteForwardRequests(settings.gatewayPorts()), NoMoreSessionsHandler.INSTANCE));
        server.setShellFactory(null);
        server.setCommandFactory(null);
        server.setSubsystemFactories(List.of());
        server.setAgentFactory(null);

        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, "alknet");
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, settings.maxAuthAttempts() <= 0 ? Integer.MAX_VALUE : settings.maxAuthAttempts());
        CoreModuleProperties.AUTH_TIMEOUT.set(server, settings.authTimeout());
        CoreModuleProperties.IDLE_TIMEOUT.set(server, settings.idleTimeout());
        CoreModuleProperties.WINDOW_SIZE.set(server, settings.windowSize());
        CoreModuleProperties.MAX_PACKET_SIZE.set(server, settings.packetSize());
        ChannelProperties.WINDOW_MAX.set(server, settings.windowMax());
        ChannelProperties.WINDOW_BUDGET.set(server, settings.windowBudget());
        CoreModuleProperties.REKEY_BYTES_LIMIT.set(server, settings.rekeyBytes());
        ChannelProperties.resolveOnManager(server);
        if (!settings.keepAlive().isZero()) {
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(server, settings.keepAlive());
        } else {
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(server, Duration.ZERO);
        }
        return server;
    }

    public static StreamAcceptor start(SshServer server) throws java.io.IOException {
        return ((StreamSshServer) server).startOnStreams();
    }
}
