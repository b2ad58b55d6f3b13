package io.alknet.transport.tls.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.netty.Bootstraps;
import io.alknet.netty.EventLoops;
import io.alknet.netty.NettyTransportStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLHandshakeException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * TLS 1.3 over TCP on Netty ({@code tls://host:port}). The client verifies the server by a pinned
 * certificate fingerprint, a CA file, or the system trust store (with host name checking), sends SNI for
 * host names, offers ALPN {@code alknet-ssh} and refuses a server that does not select it. The server
 * serves PEM certificates (replaceable while running) and, with {@code stealth}, looks like nginx to
 * anything that does not speak SSH. With ACME TLS-ALPN-01 its listeners also answer the CA's challenges
 * ({@link ClientHelloRouter}).
 */
final class TlsTransport implements Transport {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("alknet.tls");

    private final TlsSettings settings;
    private final java.util.function.Supplier<Optional<io.alknet.api.interfaces.HttpGateway>> gateways;
    private final java.util.Optional<Acme> acme;
    /** With ACME TLS-ALPN-01: the challenges every listener answers. */
    private final Optional<TlsAlpnChallenges> challenges;
    /** Read by event loops without the monitor: an ACME order holds it while a listener answers its challenge. */
    private volatile TlsContexts.Server certificates;
    private java.util.concurrent.ScheduledExecutorService renewals;
    private SslContext client;
    private EventLoops.Lease loops;

    /** @param gateways the server's HTTP interface, for the stealth listener's authenticated {@code /v1/} requests */
    TlsTransport(TlsSettings settings, java.nio.file.Path acmeState, java.util.function.Supplier<Optional<io.alknet.api.interfaces.HttpGateway>> gateways) {
        this(settings, acmeState, gateways, !settings.acmeDomains().isEmpty() && settings.acmeChallenge() == TlsSettings.AcmeChallenge.TLS_ALPN_01
                ? Optional.of(new TlsAlpnChallenges()) : Optional.empty());
    }

    /** @param challenges present when the listeners answer TLS-ALPN-01 challenges (tests give one with file certificates) */
    TlsTransport(TlsSettings settings, java.nio.file.Path acmeState, java.util.function.Supplier<Optional<io.alknet.api.interfaces.HttpGateway>> gateways,
                 Optional<TlsAlpnChallenges> challenges) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.gateways = Objects.requireNonNull(gateways, "gateways");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.certificates = settings.cert().isPresent() ? new TlsContexts.Server(settings.cert().get(), settings.key().get(), settings.stealth()) : null;
        this.acme = settings.acmeDomains().isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new Acme(settings.acmeDirectory(), settings.acmeDomains(), settings.acmeEmail(),
                        settings.acmeChallenge(), settings.acmeHttpPort(), challenges, acmeState, settings.acmeRenewBefore(), settings.acmeCa()));
    }

    /**
     * With ACME: makes sure a current certificate is there (ordering one if needed) before the first listener
     * serves (with TLS-ALPN-01, after it binds, as it answers the challenge), then checks every
     * {@code acme-check-interval} and swaps a renewed one in.
     */
    private synchronized void acmeCertificate() {
        if (acme.isEmpty() || certificates != null) {
            return;
        }
        Acme ca = acme.get();
        if (ca.due(java.time.Instant.now())) {
            ca.order();
        }
        certificates = new TlsContexts.Server(ca.certificateFile(), ca.keyFile(), settings.stealth());
        renewals = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("alknet-acme").factory());
        long every = settings.acmeCheckInterval().toMillis();
        renewals.scheduleWithFixedDelay(this::renewIfDue, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void renewIfDue() {
        Acme ca = acme.orElseThrow();
        try {
            if (ca.due(java.time.Instant.now())) {
                ca.order();
                certificates.load(ca.certificateFile(), ca.keyFile());
                LOG.info("tls.certificate.renewed fingerprint={}", certificates.current().fingerprint());
            }
        } catch (RuntimeException e) {
            LOG.warn("tls.acme.renewal.failed error=\"{}\" (the current certificate stays; retried at the next check)", e.getMessage());
        }
    }

    @Override
    public String scheme() {
        return "tls";
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.TLS;
    }

    @Override
    public synchronized void start() {
        if (loops == null) {
            loops = EventLoops.acquire();
        }
    }

    private synchronized EventLoops.Lease loops() {
        if (loops == null) {
            throw new IllegalStateException("tls transport is not started");
        }
        return loops;
    }

    private synchronized SslContext clientContext() {
        if (client == null) {
            client = TlsContexts.client(settings);
        }
        return client;
    }

    @Override
    public synchronized Map<String, String> info() {
        if (certificates == null) {
            return Map.of();
        }
        Map<String, String> info = new LinkedHashMap<>();
        TlsContexts.Server.Loaded current = certificates.current();
        info.put("certificate-fingerprint", current.fingerprint());
        info.put("certificate-expires", current.certificate().getNotAfter().toInstant().toString());
        if (settings.stealth()) {
            info.put("stealth", "on (non-SSH visitors see nginx)");
        }
        return info;
    }

    private TlsContexts.Server currentCertificates() {
        return certificates;
    }

    /** Swaps in a new certificate (a renewal): new handshakes use it, live sessions keep theirs. */
    void reloadCertificate(java.nio.file.Path cert, java.nio.file.Path key) {
        if (certificates == null) {
            throw new IllegalStateException("this transport serves no certificate");
        }
        certificates.load(cert, key);
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        SslContext context;
        try {
            context = clientContext();
        } catch (AlknetException e) {
            return CompletableFuture.failedFuture(e);
        }
        InetSocketAddress target = settings.proxy().isPresent()
                ? InetSocketAddress.createUnresolved(address.host(), address.port())   // the proxy resolves it
                : new InetSocketAddress(address.host(), address.port());
        if (target.isUnresolved() && settings.proxy().isEmpty()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.TARGET_UNRESOLVED, "host name does not resolve"));
        }
        String serverName = settings.serverName().orElse(address.host());
        EventLoops.Lease lease = loops();
        CompletableFuture<TransportStream> result = new CompletableFuture<>();
        // The handler is kept here, not looked up in the pipeline later: the connect listener may run only after the
        // handshake already failed and the closed channel's pipeline was emptied (a listener added from this thread
        // after the connect completed runs as a task on the event loop).
        java.util.concurrent.atomic.AtomicReference<SslHandler> handler = new java.util.concurrent.atomic.AtomicReference<>();
        Bootstrap bootstrap = Bootstraps.client(lease.group(), lease, settings.connectTimeout(), channel -> {
            // the JDK sends SNI for a host name, never for an IP literal
            SslHandler tls = context.newHandler(channel.alloc(), serverName, address.port());
            handler.set(tls);
            tls.setHandshakeTimeoutMillis(settings.connectTimeout().toMillis());
            settings.proxy().ifPresent(proxy -> channel.pipeline().addLast("proxy", proxy.handler(settings.connectTimeout().toMillis())));
            channel.pipeline().addLast("tls", tls);
        });
        if (settings.proxy().isPresent()) {
            bootstrap.resolver(io.netty.resolver.NoopAddressResolverGroup.INSTANCE);
        }
        ChannelFuture connect = bootstrap.connect(target);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                AlknetException failure = connectFailure(f.cause());
                if (settings.proxy().isPresent()) {
                    AlknetException viaProxy = io.alknet.netty.Proxies.failure(f.cause(), settings.proxy().get());
                    failure = viaProxy != null ? viaProxy : new AlknetException(failure.code(),
                            "cannot reach the proxy " + settings.proxy().get() + ": " + failure.getMessage());
                }
                result.completeExceptionally(failure);
                return;
            }
            Channel channel = connect.channel();
            SslHandler tls = handler.get();
            channel.read();
            tls.handshakeFuture().addListener(handshake -> {
                if (!handshake.isSuccess()) {
                    channel.close();
                    AlknetException viaProxy = settings.proxy().map(proxy -> io.alknet.netty.Proxies.failure(handshake.cause(), proxy))
                            .orElse(null);
                    result.completeExceptionally(viaProxy != null ? viaProxy : handshakeFailure(handshake.cause(), address));
                    return;
                }
                if (!TlsContexts.ALPN_SSH.equals(tls.applicationProtocol())) {
                    channel.close();
                    result.completeExceptionally(new AlknetException(ErrorCode.PROTOCOL_ERROR, "the TLS server at " + address
                            + " did not agree to ALPN '" + TlsContexts.ALPN_SSH + "' (it chose "
                            + (tls.applicationProtocol() == null ? "none" : "'" + tls.applicationProtocol() + "'")
                            + "): it is not an alknet server, or something in between terminates TLS"));
                    return;
                }
                PeerInfo peer = new PeerInfo("tls", SecurityLevel.TLS, Optional.ofNullable(channel.remoteAddress()),
                        Optional.ofNullable(channel.localAddress()), Optional.empty(), Optional.of(serverName));
                result.complete(NettyTransportStream.attach(channel, peer));
            });
        });
        return result;
    }

    private static AlknetException connectFailure(Throwable cause) {
        String message = String.valueOf(TlsContexts.rootMessage(cause)).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("refused")) {
            return new AlknetException(ErrorCode.TARGET_REFUSED, "connection refused");
        }
        if (message.contains("timed out")) {
            return new AlknetException(ErrorCode.TARGET_TIMEOUT, "connection timed out");
        }
        return new AlknetException(ErrorCode.CONNECTION_FAILED, "connection failed: " + TlsContexts.rootMessage(cause));
    }

    /** Says what went wrong with the server's certificate or the handshake, and what to do about it. */
    static AlknetException handshakeFailure(Throwable cause, TransportAddress address) {
        for (Throwable error = cause; error != null; error = error.getCause()) {
            if (error instanceof TlsContexts.PinMismatch mismatch) {
                return new AlknetException(ErrorCode.HOST_KEY_REJECTED, "the TLS certificate of " + address + " is " + mismatch.actual
                        + ", not the pinned one: check --tls-fingerprint against what alknet serve prints (or someone is in between)");
            }
            if (error instanceof CertificateExpiredException || error instanceof CertificateNotYetValidException) {
                return new AlknetException(ErrorCode.HOST_KEY_REJECTED, "the TLS certificate of " + address + " is not valid now: "
                        + error.getMessage() + "; the server must renew it");
            }
            if (error instanceof NotSslRecordException) {
                return new AlknetException(ErrorCode.PROTOCOL_ERROR, address + " does not speak TLS: is it a tcp:// listener?");
            }
            if (error instanceof ClosedChannelException) {
                return new AlknetException(ErrorCode.PROTOCOL_ERROR, address + " closed the connection during the TLS handshake:"
                        + " is it a TLS listener? (a plain tcp:// alknet server expects SSH, not TLS)");
            }
        }
        String reason = TlsContexts.rootMessage(cause);
        if (reason.contains("no_application_protocol")) {
            return new AlknetException(ErrorCode.PROTOCOL_ERROR, "the TLS server at " + address + " did not agree to ALPN '"
                    + TlsContexts.ALPN_SSH + "': it is not an alknet server, or something in between terminates TLS");
        }
        if (cause instanceof SSLHandshakeException && reason.toLowerCase(java.util.Locale.ROOT).contains("certification path")) {
            return new AlknetException(ErrorCode.HOST_KEY_REJECTED, "the TLS certificate of " + address + " is not trusted ("
                    + reason + "): pin it with --tls-fingerprint SHA256:... (alknet serve prints it) or trust its CA with --tls-ca FILE");
        }
        if (reason.toLowerCase(java.util.Locale.ROOT).contains("no subject alternative")) {
            return new AlknetException(ErrorCode.HOST_KEY_REJECTED, "the TLS certificate of " + address + " is not for that name ("
                    + reason + "): connect by the name on the certificate, or set --tls-server-name");
        }
        return new AlknetException(ErrorCode.PROTOCOL_ERROR, "TLS handshake with " + address + " failed: " + reason);
    }

    @Override
    public CompletionStage<Listener> listen(TransportAddress address) {
        if (challenges.isPresent() && acme.isPresent() && currentCertificates() == null) {
            return listenThenOrder(address);
        }
        try {
            acmeCertificate();
        } catch (AlknetException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (certificates == null) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.INVALID_CONFIG,
                    "a tls:// listener needs a certificate: --tls-cert FILE --tls-key FILE (PEM), or --acme-domain NAME"));
        }
        return bind(address);
    }

    /**
     * TLS-ALPN-01 on the first listener: the CA's handshake must find it bound, so it binds first (answering nothing but
     * the CA until the certificate is there) and returns once the certificate is issued, as the HTTP-01 path returns.
     */
    private CompletionStage<Listener> listenThenOrder(TransportAddress address) {
        Listener listener;
        try {
            listener = bind(address).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return CompletableFuture.failedFuture(e.getCause() == null ? e : e.getCause());
        }
        try {
            acmeCertificate();
            return CompletableFuture.completedFuture(listener);
        } catch (RuntimeException e) {
            listener.close();
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletionStage<Listener> bind(TransportAddress address) {
        return Bootstraps.listen(loops(), address, 1024,
                (channel, accepted) -> ServerConnection.install(channel, this::currentCertificates, challenges, settings, accepted, gateways));
    }

    @Override
    public synchronized void close() {
        if (renewals != null) {
            renewals.shutdownNow();
        }
        if (loops != null) {
            loops.close();
            loops = null;
        }
    }
}
