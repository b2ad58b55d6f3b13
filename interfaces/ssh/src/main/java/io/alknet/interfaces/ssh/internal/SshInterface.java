package io.alknet.interfaces.ssh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.ClientSessionOptions;
import io.alknet.api.interfaces.ServerConnection;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.interfaces.StreamInterface;
import io.alknet.api.interfaces.TunnelSession;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.stream.TransportStream;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.interfaces.ssh.internal.SshSettings;
import io.alknet.interfaces.ssh.internal.client.ClientSetup;
import io.alknet.interfaces.ssh.internal.io.StreamAcceptor;
import io.alknet.interfaces.ssh.internal.io.StreamIoSession;
import io.alknet.interfaces.ssh.internal.server.ServerSetup;
import io.alknet.interfaces.ssh.internal.server.ServerSessions;
import io.alknet.interfaces.ssh.internal.server.SshServerConnection;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The SSH stream interface: one MINA server and one MINA client, both running over alknet transport
 * streams. The server is created lazily on the first {@link #serve}, the client on the first
 * {@link #connect}, so a client process never loads a host key.
 */
public final class SshInterface implements StreamInterface {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.ssh");

    private final SshSettings settings;
    private final PluginContext context;
    private SshServer server;
    private StreamAcceptor acceptor;
    private SshClient client;
    private KeyPair hostKey;
    private boolean closed;

    public SshInterface(SshSettings settings, PluginContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public String name() {
        return "ssh";
    }

    /** Loads (or on first use generates) the host key, so a bad key fails at startup. */
    public synchronized KeyPair hostKey() {
        if (hostKey == null) {
            Path file = settings.hostKey().orElseGet(() -> context.stateDirectory().resolve("ssh_host_ed25519_key"));
            if (settings.hostKey().isEmpty() && !Files.exists(file)) {
                hostKey = OpenSshKeys.generate(file, "alknet-host");
                LOG.info("host.key.generated file={} fingerprint={}", file, OpenSshKeys.fingerprint(hostKey.getPublic()));
            } else {
                hostKey = OpenSshKeys.load(file);
            }
        }
        return hostKey;
    }

    @Override
    public synchronized Map<String, String> prepareServer() {
        startServer();
        return Map.of("host-key-fingerprint", OpenSshKeys.fingerprint(hostKey.getPublic()));
    }

    /** Loads the host key and starts MINA's server, once. */
    private synchronized void startServer() {
        if (server != null) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("ssh interface is closed");
        }
        KeyPair key = hostKey();
        server = ServerSetup.create(settings, key);
        try {
            acceptor = ServerSetup.start(server);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INTERNAL, "cannot start the SSH server: " + e.getMessage(), e);
        }
        LOG.info("ssh.server.ready host_key={}", OpenSshKeys.fingerprint(key.getPublic()));
    }

    private synchronized StreamAcceptor acceptor() {
        startServer();
        return acceptor;
    }

    private synchronized SshClient client() {
        if (closed) {
            throw new IllegalStateException("ssh interface is closed");
        }
        if (client == null) {
            client = ClientSetup.create(settings);
            client.start();
        }
        return client;
    }

    @Override
    public ServerConnection serve(TransportStream stream, ServerContext serverContext) {
        StreamAcceptor current = acceptor();
        try {
            StreamIoSession ioSession = current.accept(stream, Map.of(ServerSessions.CONTEXT_KEY, serverContext));
            ServerSession session = (ServerSession) AbstractSession.getSession(ioSession);
            return new SshServerConnection(session);
        } catch (Exception e) {
            stream.abort();
            throw new AlknetException(ErrorCode.INTERNAL, "cannot start an SSH session: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<TunnelSession> connect(TransportStream stream, ClientSessionOptions options) {
        SshClient current;
        try {
            current = client();
        } catch (RuntimeException e) {
            stream.abort();
            return CompletableFuture.failedFuture(e);
        }
        return ClientSetup.connect(current, settings, stream, options).thenApply(session -> (TunnelSession) session);
    }

    @Override
    public void close() {
        SshServer serverToStop;
        SshClient clientToStop;
        synchronized (this) {
            closed = true;
            serverToStop = server;
            clientToStop = client;
            server = null;
            client = null;
        }
        if (serverToStop != null) {
            // not stop(): it returns at once for a server that never ran start() (MINA's flag), and ours listens on
            // the kernel's streams instead, so its timer thread and executor would stay behind
            try {
                serverToStop.close(true).await(java.time.Duration.ofSeconds(5));
            } catch (IOException e) {
                LOG.debug("ssh.server.stop.failed error={}", e.toString());
            }
        }
        if (clientToStop != null) {
            clientToStop.stop();
        }
    }
}
