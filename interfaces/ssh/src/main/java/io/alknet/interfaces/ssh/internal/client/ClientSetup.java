package io.alknet.interfaces.ssh.internal.client;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.ClientSessionOptions;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.stream.TransportStream;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.interfaces.ssh.internal.SshSettings;
import io.alknet.interfaces.ssh.internal.Algorithms;
import io.alknet.interfaces.ssh.internal.ChannelProperties;
import io.alknet.interfaces.ssh.internal.io.StreamConnector;
import io.alknet.interfaces.ssh.internal.io.StreamIoServiceFactoryFactory;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Builds alknet's MINA client and establishes sessions over transport streams: key exchange, host-key
 * verification (per connection, see {@link HostKeyCheck}), public-key authentication.
 */
public final class ClientSetup {

    private static final AttributeRepository.AttributeKey<HostKeyCheck> HOST_KEY_CHECK = new AttributeRepository.AttributeKey<>();

    private ClientSetup() {
    }

    public static SshClient create(SshSettings settings) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setIoServiceFactoryFactory(new StreamIoServiceFactoryFactory());
        client.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false, Algorithms.keyExchanges(), ClientBuilder.DH2KEX));
        client.setCipherFactories(Algorithms.ciphers(settings.ciphers()));
        client.setMacFactories(Algorithms.macs());
        client.setSignatureFactories(Algorithms.signatures());
        client.setCompressionFactories(Algorithms.compressions());
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setServerKeyVerifier(perConnection());
        client.setPasswordIdentityProvider(null);
        client.setUserInteraction(null);
        client.setAgentFactory(null);
        client.setChannelFactories(List.of(RemoteForwards.CHANNELS));
        client.setReservedSessionMessagesHandler(RemoteForwards.DEBUG_MESSAGES);
        CoreModuleProperties.CLIENT_IDENTIFICATION.set(client, "alknet");
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        CoreModuleProperties.WINDOW_SIZE.set(client, settings.windowSize());
        CoreModuleProperties.MAX_PACKET_SIZE.set(client, settings.packetSize());
        ChannelProperties.WINDOW_MAX.set(client, settings.windowMax());
        ChannelProperties.WINDOW_BUDGET.set(client, settings.windowBudget());
        CoreModuleProperties.REKEY_BYTES_LIMIT.set(client, settings.rekeyBytes());
        ChannelProperties.resolveOnManager(client);
        if (!settings.keepAlive().isZero()) {
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.keepAlive());
            CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
            CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, settings.keepAlive());
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, settings.keepAliveMax());
        }
        return client;
    }

    /** Delegates host-key verification to the check stored in each connection's context. */
    private static ServerKeyVerifier perConnection() {
        return (session, address, key) -> {
            AttributeRepository context = session.getConnectionContext();
            HostKeyCheck check = context == null ? null : context.getAttribute(HOST_KEY_CHECK);
            return check != null && check.verifyServerKey(session, address, key);
        };
    }

    /**
     * Runs the SSH client on {@code stream}. The blocking parts of MINA's API (key loading, the connect and
     * auth futures) run on a virtual thread, never on the transport's I/O thread.
     */
    public static CompletableFuture<SshTunnelSession> connect(
            SshClient client, SshSettings settings, TransportStream stream, ClientSessionOptions options) {
        CompletableFuture<SshTunnelSession> result = new CompletableFuture<>();
        Thread.ofVirtual().name("alknet-ssh-connect").start(() -> {
            HostKeyCheck check = new HostKeyCheck(options.hostKeys());
            ClientSession session = null;
            java.util.concurrent.atomic.AtomicReference<String> refusal = new java.util.concurrent.atomic.AtomicReference<>();
            try {
                List<KeyPair> identities = new ArrayList<>();
                options.identityFiles().forEach(file -> identities.addAll(OpenSshKeys.loadWithCertificate(file)));
                if (identities.isEmpty()) {
                    throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "no identity key given; pass --identity FILE");
                }
                AttributeRepository context = AttributeRepository.ofAttributesMap(Map.of(
                        StreamConnector.STREAM, stream, HOST_KEY_CHECK, check));
                ConnectFuture connecting = client.connect(options.user(), targetAddress(options), context, null);
                Duration timeout = settings.authTimeout();
                session = connecting.verify(timeout).getClientSession();
                session.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
                    @Override
                    public void sessionDisconnect(org.apache.sshd.common.session.Session disconnected, int reason, String message,
                                                  String language, boolean initiator) {
                        // an alknet server ends a login past the identity's sessions quota this way, with the reason
                        if (!initiator && reason == SshConstants.SSH2_DISCONNECT_TOO_MANY_CONNECTIONS) {
                            refusal.set(message);
                        }
                    }
                });
                for (KeyPair identity : identities) {
                    session.addPublicKeyIdentity(identity);
                }
                session.auth().verify(timeout);
                result.complete(new SshTunnelSession(session, stream.peer(), check.seenFingerprint()));
            } catch (AlknetException e) {
                closeQuietly(session, stream);
                result.completeExceptionally(e);
            } catch (Exception e) {
                closeQuietly(session, stream);
                result.completeExceptionally(refusal.get() != null
                        ? new AlknetException(ErrorCode.QUOTA_EXCEEDED, "server " + options.server() + " refused the login: " + refusal.get())
                        : describe(e, check, options));
            }
        });
        return result;
    }

    /** The server as MINA's known_hosts lookup should see it: the name and port the user dialled. */
    private static InetSocketAddress targetAddress(ClientSessionOptions options) {
        int port = options.server().port() > 0 ? options.server().port() : 22;
        String host = options.server().host();
        if (isIpLiteral(host)) {
            return new InetSocketAddress(host, port);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static void closeQuietly(ClientSession session, TransportStream stream) {
        if (session != null) {
            session.close(true);
        }
        stream.abort();
    }

    /**
     * Why the host key was refused, in OpenSSH's words (sshconnect.c): only a key that nothing is known about
     * may be verified with the operator and then pinned; a changed or revoked key is never to be pinned.
     */
    private static AlknetException hostKeyRefused(HostKeyCheck check, String server, String seen) {
        String presented = seen == null ? "(none)" : seen;
        String where = switch (check.verification()) {
            case HostKeyVerification.Pinned pinned -> "--host-key-fingerprint " + String.join(",", pinned.fingerprints());
            case HostKeyVerification.KnownHosts known -> known.file().toString();
            case HostKeyVerification.AcceptAny any -> "the client";
        };
        HostKeyCheck.Refusal refusal = check.refusal().orElse(HostKeyCheck.Refusal.UNKNOWN);
        String message = switch (refusal) {
            case REVOKED -> "REVOKED HOST KEY DETECTED: server " + server + " presented host key " + presented + ", which " + where
                    + " marks @revoked. This could mean that a stolen key is being used to impersonate this host. Refusing to "
                    + "connect; do not accept this key, ask the server's operator for its new one";
            case CHANGED -> (check.verification() instanceof HostKeyVerification.Pinned
                    ? "HOST KEY MISMATCH: server " + server + " presented host key " + presented + ", but " + where + " expects another"
                    : "HOST KEY CHANGED (remote host identification has changed): server " + server + " presented host key "
                            + presented + ", but " + where + " lists another key for this host")
                    + ". Someone could be eavesdropping on you right now (man-in-the-middle attack), or the host key has just "
                    + "been changed. Refusing to connect; do not pin the presented key: get the server's fingerprint from its "
                    + "operator (alknet serve prints it)"
                    + (check.verification() instanceof HostKeyVerification.KnownHosts ? " and correct this host's line in " + where : "");
            case UNKNOWN -> "server " + server + " presented host key " + presented + " and it is not listed for this host in "
                    + where + "; verify the fingerprint with the server's operator (alknet serve prints it), then pass "
                    + "--host-key-fingerprint " + (seen == null ? "SHA256:..." : seen);
        };
        return new AlknetException(ErrorCode.HOST_KEY_REJECTED, message);
    }

    private static AlknetException describe(Exception error, HostKeyCheck check, ClientSessionOptions options) {
        String message = String.valueOf(error.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        String server = options.server().toString();
        String seen = check.seenFingerprint();
        if (check.refusal().isPresent() || lower.contains("server key did not validate") || (seen != null && lower.contains("key")
                && !lower.contains("authentication") && !lower.contains("no more"))) {
            return hostKeyRefused(check, server, seen);
        }
        if (lower.contains("no more authentication methods") || lower.contains("authentication")
                || error instanceof SshException && lower.contains("auth")) {
            return new AlknetException(ErrorCode.AUTH_REJECTED, "server " + server + " refused the key "
                    + options.identityFiles() + " for user " + options.user()
                    + "; add its public key (.pub) to the server's authorized_keys");
        }
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return new AlknetException(ErrorCode.CONNECTION_FAILED, "SSH handshake with " + server
                    + " timed out; is an alknet or SSH server listening there?");
        }
        return new AlknetException(ErrorCode.PROTOCOL_ERROR, "SSH handshake with " + server + " failed: " + message
                + "; is an alknet or SSH server listening there?"
                + (options.server().scheme().equals("tcp") ? " (a TLS listener, e.g. on port 443, needs tls://" + options.server().host() + ":" + options.server().port() + ")" : ""));
    }
}
