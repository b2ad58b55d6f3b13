package io.alknet.transport.tls.internal;

import com.sun.net.httpserver.HttpServer;
import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.StateFiles;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Certificates from an ACME CA (spec ADR-008) with acme4j: an account key and the certificate live in a
 * state directory; a certificate is ordered when there is none or it expires within {@code renewBefore},
 * proving control of the domains with TLS-ALPN-01 (RFC 8737: the transport's tls:// listeners show the CA a
 * validation certificate, port 443 in production) or HTTP-01 (a small built-in HTTP server, port 80 in
 * production). The protocol is acme4j's; this class only stores keys and answers the challenge.
 *
 * @param directory   the ACME directory: an https URL, or acme4j's {@code acme://letsencrypt.org},
 *                    {@code acme://pebble/HOST:PORT} for a local Pebble
 * @param challenges  where TLS-ALPN-01 validation certificates go (present with that challenge)
 */
record Acme(String directory, List<String> domains, Optional<String> email, TlsSettings.AcmeChallenge challenge, int httpPort,
            Optional<TlsAlpnChallenges> challenges, Path state, Duration renewBefore, Optional<Path> directoryCa) {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.tls");

    Path certificateFile() {
        return state.resolve("certificate.pem");
    }

    Path keyFile() {
        return state.resolve("certificate-key.pem");
    }

    /** True when there is no certificate yet or it expires within {@code renewBefore}. */
    boolean due(Instant now) {
        if (!Files.isRegularFile(certificateFile()) || !Files.isRegularFile(keyFile())) {
            return true;
        }
        try {
            X509Certificate current = TlsContexts.readCertificates(certificateFile()).getFirst();
            return current.getNotAfter().toInstant().minus(renewBefore).isBefore(now)
                    || !current.getSubjectAlternativeNames().toString().contains(domains.getFirst());
        } catch (RuntimeException | java.security.cert.CertificateParsingException e) {
            return true;
        }
    }

    /**
     * Orders a new certificate and writes it (and a fresh key) atomically into the state directory.
     *
     * @throws AlknetException naming the step that failed; the old certificate stays in place
     */
    void order() {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        HttpServer httpChallenges = challenge == TlsSettings.AcmeChallenge.HTTP_01 ? challengeServer(tokens) : null;
        try {
            Files.createDirectories(state);
            Session session = directoryCa.isPresent()
                    ? new Session(java.net.URI.create(directory), new PrivateCaProvider(directoryCa.get()))
                    : new Session(directory);
            AccountBuilder registration = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
            email.ifPresent(registration::addEmail);
            Account account = registration.create(session);
            Order order = account.newOrder().domains(domains).create();
            for (Authorization authorization : order.getAuthorizations()) {
                if (authorization.getStatus() == Status.VALID) {
                    continue;
                }
                String domain = authorization.getIdentifier().getDomain();
                Challenge answered = switch (challenge) {
                    case HTTP_01 -> {
                        Http01Challenge http = find(authorization, Http01Challenge.class);
                        tokens.put(http.getToken(), http.getAuthorization());
                        yield http;
                    }
                    case TLS_ALPN_01 -> {
                        TlsAlpn01Challenge tls = find(authorization, TlsAlpn01Challenge.class);
                        KeyPair validationKey = validationKey();
                        challenges.orElseThrow().add(domain, tls.createCertificate(validationKey, authorization.getIdentifier()),
                                validationKey.getPrivate());
                        yield tls;
                    }
                };
                try {
                    answered.trigger();
                    Status status = authorization.waitForStatus(EnumSet.of(Status.VALID, Status.INVALID), Duration.ofSeconds(90));
                    if (status != Status.VALID) {
                        throw new AlknetException(ErrorCode.AUTH_REJECTED, "the ACME server could not verify " + domain + " over "
                                + challenge.id() + answered.getError().map(problem -> ": " + problem.getDetail().orElse(problem.toString())).orElse("")
                                + " (" + reachable() + ")");
                    }
                } finally {
                    challenges.ifPresent(pending -> pending.remove(domain));
                }
            }
            KeyPair domainKey = newKey();
            order.execute(domainKey);
            Status status = order.waitForStatus(EnumSet.of(Status.VALID, Status.INVALID), Duration.ofSeconds(90));
            if (status != Status.VALID) {
                throw new AlknetException(ErrorCode.CONNECTION_FAILED, "the ACME server did not issue the certificate: "
                        + order.getError().map(Object::toString).orElse(status.toString()));
            }
            StringWriter chain = new StringWriter();
            order.getCertificate().writeCertificate(chain);
            writeAtomically(keyFile(), pkcs8(domainKey), true);
            writeAtomically(certificateFile(), chain.toString(), false);
            LOG.info("tls.acme.issued domains={} challenge={} expires={}", String.join(",", domains), challenge.id(),
                    TlsContexts.readCertificates(certificateFile()).getFirst().getNotAfter().toInstant());
        } catch (AcmeException e) {
            throw new AlknetException(ErrorCode.CONNECTION_FAILED, "ACME with " + directory + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot write the certificate into " + state + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlknetException(ErrorCode.INTERNAL, "interrupted while waiting for the ACME server");
        } finally {
            if (httpChallenges != null) {
                httpChallenges.stop(0);
            }
        }
    }

    private <C extends Challenge> C find(Authorization authorization, Class<C> type) {
        return authorization.findChallenge(type).orElseThrow(() -> new AlknetException(ErrorCode.UNSUPPORTED, "the ACME server offers no "
                + challenge.id() + " challenge for " + authorization.getIdentifier().getDomain()
                + (challenge == TlsSettings.AcmeChallenge.TLS_ALPN_01 ? " (wildcard names need DNS-01; or try --acme-challenge http-01)"
                        : " (try --acme-challenge tls-alpn-01)")));
    }

    /** What the CA must be able to reach, for the error that says it could not. */
    private String reachable() {
        return switch (challenge) {
            case HTTP_01 -> "the domain must point here and port " + httpPort + " be reachable";
            case TLS_ALPN_01 -> "the domain must point here and port 443 reach the first tls:// listener, with no TLS-terminating "
                    + "proxy in between";
        };
    }

    /** An ACME server whose HTTPS certificate comes from a private CA (a company CA, step-ca, Pebble). */
    private static final class PrivateCaProvider extends org.shredzone.acme4j.provider.GenericAcmeProvider {
        private final javax.net.ssl.SSLContext context;

        PrivateCaProvider(Path caFile) {
            try {
                java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (X509Certificate certificate : TlsContexts.readCertificates(caFile)) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
                javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
            } catch (GeneralSecurityException | IOException e) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot use --acme-ca " + caFile + ": " + e.getMessage());
            }
        }

        @Override
        protected org.shredzone.acme4j.connector.HttpConnector createHttpConnector(org.shredzone.acme4j.connector.NetworkSettings settings) {
            return new org.shredzone.acme4j.connector.HttpConnector(settings) {
                @Override
                public java.net.http.HttpClient.Builder createClientBuilder() {
                    return super.createClientBuilder().sslContext(context);
                }
            };
        }
    }

    private HttpServer challengeServer(Map<String, String> tokens) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(httpPort), 16);
            server.createContext("/.well-known/acme-challenge/", exchange -> {
                String token = exchange.getRequestURI().getPath().substring("/.well-known/acme-challenge/".length());
                String answer = tokens.get(token);
                byte[] body = (answer == null ? "" : answer).getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(answer == null ? 404 : 200, answer == null ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot answer the ACME HTTP-01 challenge on port " + httpPort + ": "
                    + e.getMessage() + " (the port must be free; alknet needs to bind it while ordering, e.g. port 80)");
        }
    }

    /** The account key, created on first use and kept in the state directory (mode 0600). */
    private KeyPair accountKey() throws IOException {
        Path privateKey = state.resolve("account-key.pem");
        Path publicKey = state.resolve("account-key.pub.pem");
        if (Files.isRegularFile(privateKey) && Files.isRegularFile(publicKey)) {
            try {
                KeyFactory factory = KeyFactory.getInstance("EC");
                return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(der(Files.readString(publicKey)))),
                        factory.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateKey)))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new AlknetException(ErrorCode.INVALID_KEY, "the ACME account key in " + state + " is damaged: " + e.getMessage()
                        + " (delete it to register a new account)");
            }
        }
        KeyPair created = newKey();
        writeAtomically(privateKey, pkcs8(created), true);
        writeAtomically(publicKey, pem("PUBLIC KEY", created.getPublic().getEncoded()), false);
        return created;
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make P-256 keys", e);
        }
    }

    /** A throwaway key for one validation certificate: RSA, as acme4j signs those with SHA256withRSA. */
    private static KeyPair validationKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make RSA keys", e);
        }
    }

    private static String pkcs8(KeyPair key) {
        return pem("PRIVATE KEY", key.getPrivate().getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static void writeAtomically(Path file, String content, boolean secret) throws IOException {
        StateFiles.replace(file, content.getBytes(StandardCharsets.UTF_8), secret);
    }
}
