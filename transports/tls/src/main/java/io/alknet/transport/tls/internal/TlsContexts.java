package io.alknet.transport.tls.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The TLS configurations: TLS 1.3 only, ALPN {@value #ALPN_SSH}, the JDK provider. The server's context can
 * be replaced at run time (a renewed certificate): new handshakes use the new one, live sessions keep theirs.
 */
final class TlsContexts {

    /** The ALPN id of SSH inside TLS (spec: transports). */
    static final String ALPN_SSH = "alknet-ssh";
    private static final String[] TLS13 = {"TLSv1.3"};

    private TlsContexts() {
    }

    /** The server's current certificate and context. */
    static final class Server {
        private final AtomicReference<Loaded> current = new AtomicReference<>();

        record Loaded(SslContext context, String fingerprint, X509Certificate certificate) {
        }

        /** Whether this is a stealth listener's: it also offers http/1.1, for its decoy and HTTP gateway. */
        private final boolean stealth;

        Server(Path cert, Path key, boolean stealth) {
            this.stealth = stealth;
            load(cert, key);
        }

        /** Loads a certificate chain and key; on failure the previous one stays in use. */
        void load(Path cert, Path key) {
            List<X509Certificate> chain = readCertificates(cert);
            try {
                SslContext context = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                        .sslProvider(SslProvider.JDK)
                        .protocols(TLS13)
                        // session tickets valid for 5 minutes, as nginx's (ssl_session_timeout 5m), not the JDK's day
                        .sessionTimeout(300)
                        .applicationProtocolConfig(stealth
                                // Offer ALPN like a web server does: SSH clients ask for alknet-ssh, browsers for
                                // http/1.1; a client offering neither gets no ALPN rather than an alert (as nginx).
                                ? new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                        ALPN_SSH, ApplicationProtocolNames.HTTP_1_1)
                                // A plain tls:// port speaks SSH only: a client that asks for another protocol (a
                                // browser, curl) gets the no_application_protocol alert (RFC 7301 3.2), not an SSH
                                // banner; a client that asks for none is served
                                : new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                                        ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
                                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ALPN_SSH))
                        .build();
                current.set(new Loaded(context, Fingerprints.of(chain.getFirst()), chain.getFirst()));
            } catch (SSLException | IllegalArgumentException e) {
                throw new AlknetException(ErrorCode.INVALID_KEY, "cannot use TLS certificate " + cert + " with key " + key + ": "
                        + rootMessage(e) + " (the key must be an unencrypted PKCS#8 PEM, 'BEGIN PRIVATE KEY', matching the certificate)");
            }
        }

        Loaded current() {
            return current.get();
        }
    }

    static SslContext client(TlsSettings settings) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(TLS13)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ALPN_SSH));
        if (!settings.fingerprints().isEmpty()) {
            // a pinned certificate is trusted by its digest alone: no CA, no host name
            builder.trustManager(new Pinned(settings.fingerprints())).endpointIdentificationAlgorithm(null);
        } else if (settings.ca().isPresent()) {
            builder.trustManager(trustManager(readCertificates(settings.ca().get()))).endpointIdentificationAlgorithm("HTTPS");
        } else {
            builder.endpointIdentificationAlgorithm("HTTPS");
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot set up TLS: " + rootMessage(e));
        }
    }

    private static TrustManager trustManager(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot use the CA file: " + rootMessage(e));
        }
    }

    static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new AlknetException(ErrorCode.INVALID_KEY, file + " holds no PEM certificate ('BEGIN CERTIFICATE')");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "cannot read certificates from " + file + ": " + rootMessage(e));
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Trusts exactly the pinned leaf certificates, while they are within their validity window. */
    static final class Pinned extends javax.net.ssl.X509ExtendedTrustManager implements X509TrustManager {
        private final List<String> fingerprints;

        Pinned(List<String> fingerprints) {
            this.fingerprints = List.copyOf(fingerprints);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            String fingerprint = Fingerprints.of(chain[0]);
            if (!fingerprints.contains(fingerprint)) {
                throw new PinMismatch(fingerprint);
            }
            try {
                chain[0].checkValidity();
            } catch (CertificateExpiredException e) {
                throw new CertificateExpiredException("the pinned certificate expired on " + chain[0].getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                throw new CertificateNotYetValidException("the pinned certificate is valid only from " + chain[0].getNotBefore().toInstant());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The server's certificate is not the pinned one. */
    static final class PinMismatch extends CertificateException {
        final String actual;

        PinMismatch(String actual) {
            super("the server's certificate " + actual + " is not the pinned one");
            this.actual = actual;
        }
    }
}
