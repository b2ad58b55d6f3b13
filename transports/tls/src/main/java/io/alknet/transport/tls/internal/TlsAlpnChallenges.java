package io.alknet.transport.tls.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLS-ALPN-01 challenges (RFC 8737) a transport's ACME order has pending: for each name, the TLS context that
 * serves its self-signed validation certificate, and only over ALPN {@value #ACME_TLS_1}. Every tls:// listener of the
 * transport answers them, so a renewal is answered by the port that serves the certificate.
 *
 * <p>Threading: {@link #add} and {@link #remove} run on the ACME thread, {@link #validation} on event loops.
 */
final class TlsAlpnChallenges {

    /** RFC 8737 section 6.2: the ALPN id that asks for the validation certificate. */
    static final String ACME_TLS_1 = "acme-tls/1";
    private static final String[] TLS12_AND_13 = {"TLSv1.3", "TLSv1.2"};

    private final Map<String, SslContext> pending = new ConcurrentHashMap<>();

    /** Answers the CA's handshakes for {@code domain} with this certificate until {@link #remove}. */
    void add(String domain, X509Certificate certificate, PrivateKey key) {
        Objects.requireNonNull(domain, "domain");
        try {
            SslContext context = SslContextBuilder.forServer(key, certificate)
                    .sslProvider(SslProvider.JDK)
                    // the validation handshake carries no data, so the CA's TLS version is no risk; Let's Encrypt's
                    // validators speak 1.3, other CAs may only speak 1.2
                    .protocols(TLS12_AND_13)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.FATAL_ALERT, ACME_TLS_1))
                    .build();
            pending.put(key(domain), context);
        } catch (SSLException e) {
            throw new AlknetException(ErrorCode.INTERNAL, "cannot serve the TLS-ALPN-01 validation certificate for " + domain
                    + ": " + TlsContexts.rootMessage(e));
        }
    }

    void remove(String domain) {
        pending.remove(key(domain));
    }

    /** The context for a handshake that asked for {@code serverName} by SNI, while a challenge for it is pending. */
    Optional<SslContext> validation(String serverName) {
        return serverName == null ? Optional.empty() : Optional.ofNullable(pending.get(key(serverName)));
    }

    private static String key(String domain) {
        // DNS names compare without case (RFC 4343); acme4j and SNI both carry the ASCII (punycode) form
        return domain.toLowerCase(Locale.ROOT);
    }
}
