package io.alknet.transport.tls.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the tls transport ({@code transport.tls.*}).
 *
 * <p>Server: {@code cert} and {@code key} (PEM: the certificate chain and its PKCS#8 private key),
 * {@code stealth} (look like nginx to anything that is not SSH), {@code decoy-dir} (serve these static files
 * to HTTP visitors instead of 404s), {@code handshake-timeout} (default 10s; a stealth listener uses
 * {@code sniff-timeout} instead, as nginx has one timer for both), {@code sniff-timeout} (nginx's
 * {@code client_header_timeout}, default 60s: a stealth listener closes a connection that has not sent a complete
 * request head this long after it was accepted, and one that stops sending a request or its body this long),
 * {@code keepalive-timeout} (nginx's {@code keepalive_timeout}, default 75s: how long a stealth listener keeps an idle
 * connection open after an answer).
 * Instead of {@code cert}/{@code key}: {@code acme-domain} (names to get a certificate for by ACME),
 * {@code acme-directory} (default Let's Encrypt production), {@code acme-email}, {@code acme-challenge}
 * ({@code tls-alpn-01}, answered by the tls:// listener itself, or {@code http-01}; default tls-alpn-01 unless
 * {@code acme-http-port} is set), {@code acme-http-port} (where the HTTP-01 challenge is answered, default 80),
 * {@code acme-renew-before} (default 30d),
 * {@code acme-check-interval} (default 12h), {@code acme-ca} (trust this PEM CA for the ACME server's own
 * HTTPS, for a private ACME CA); the account key and certificate live in the state directory.
 *
 * <p>Client: {@code fingerprint} (pin the server certificate: {@code SHA256:base64} or hex, comma
 * separated), {@code ca} (trust this PEM CA file instead of the system store), {@code server-name} (the SNI
 * name; default: the host of the address unless it is an IP literal), {@code connect-timeout}, {@code proxy}
 * ({@code socks5://HOST:PORT} or {@code http://HOST:PORT}: the TLS connection goes through it; spec: client
 * {@code --proxy} carries the transport).
 */
record TlsSettings(Optional<Path> cert, Optional<Path> key, boolean stealth, Optional<Path> decoyDirectory,
                   Duration handshakeTimeout, Duration sniffTimeout, Duration keepaliveTimeout, List<String> fingerprints,
                   Optional<Path> ca, Optional<String> serverName, Duration connectTimeout, Optional<io.alknet.netty.Proxies.Proxy> proxy,
                   List<String> acmeDomains, String acmeDirectory, Optional<String> acmeEmail, AcmeChallenge acmeChallenge,
                   int acmeHttpPort, Duration acmeRenewBefore, Duration acmeCheckInterval, Optional<Path> acmeCa) {

    /** Let's Encrypt production (the CLI's default, as the spec says). */
    static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

    /** How the ACME CA is shown that this server controls the names. */
    enum AcmeChallenge {
        /** RFC 8737: the CA's TLS handshake with ALPN {@code acme-tls/1} to port 443 gets a validation certificate. */
        TLS_ALPN_01("tls-alpn-01"),
        /** RFC 8555 8.3: the CA fetches a token over plain HTTP from port 80. */
        HTTP_01("http-01");

        private final String id;

        AcmeChallenge(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }
    }

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.path("cert", "PEM certificate chain for tls:// listeners, e.g. --tls-cert /etc/alknet/fullchain.pem.")
                    .withFlag("--tls-cert").inFile("server.tls.cert"),
            SettingSpec.path("key", "Its private key (unencrypted PKCS#8 PEM, 'BEGIN PRIVATE KEY'), e.g. --tls-key /etc/alknet/key.pem.")
                    .withFlag("--tls-key").inFile("server.tls.key"),
            SettingSpec.bool("stealth", false, "On tls:// listeners, answer everything that is not SSH like an nginx web server "
                            + "(404s), e.g. --listen tls://0.0.0.0:443 --stealth.")
                    .withFlag("--stealth").inFile("server.tls.stealth"),
            SettingSpec.path("decoy-dir", "With --stealth, serve the files of DIR to web visitors instead of 404s, "
                            + "e.g. --decoy-dir /var/www/html.")
                    .withFlag("--decoy-dir").withLabel("DIR").inFile("server.tls.decoy_dir"),
            SettingSpec.duration("handshake-timeout", "10s", "How long a TLS handshake may take (a stealth listener uses "
                    + "sniff-timeout instead)."),
            SettingSpec.duration("sniff-timeout", "60s", "nginx's client_header_timeout: how long a stealth listener waits for "
                    + "a complete request head, or for a request or its body to go on."),
            SettingSpec.duration("keepalive-timeout", "75s", "nginx's keepalive_timeout: how long a stealth listener keeps an "
                    + "idle connection open after an answer."),
            SettingSpec.list("fingerprint", "Client: pin the server certificate (SHA256:base64 or hex, comma separated)."),
            SettingSpec.path("ca", "Client: trust this PEM CA file instead of the system store."),
            SettingSpec.string("server-name", "Client: the SNI name (default: the host of the address unless it is an IP literal)."),
            SettingSpec.duration("connect-timeout", "10s", "Client: how long a dial may take."),
            SettingSpec.string("proxy", "Client: carry the TLS connection through this proxy (socks5://HOST:PORT or "
                    + "http://HOST:PORT)."),
            SettingSpec.list("acme-domain", "Get (and renew) the certificate for tls:// listeners from an ACME CA for these names, "
                            + "e.g. --acme-domain tunnel.example.com. Kept in the state directory.")
                    .withFlag("--acme-domain").withLabel("NAME").inFile("server.tls.acme_domain"),
            SettingSpec.string("acme-directory", "The ACME directory, e.g. "
                            + "--acme-directory https://acme-staging-v02.api.letsencrypt.org/directory.")
                    .withDefault(LETS_ENCRYPT).withFlag("--acme-directory").withLabel("URL").inFile("server.tls.acme_directory"),
            SettingSpec.string("acme-email", "Contact address for the ACME account, e.g. --acme-email ops@example.com.")
                    .withFlag("--acme-email").withLabel("ADDRESS").inFile("server.tls.acme_email"),
            SettingSpec.string("acme-challenge", "How the ACME CA checks that the names lead here: tls-alpn-01 (answered by the "
                            + "tls:// listener itself, which the CA reaches on port 443) or http-01 (on --acme-http-port, port 80); default "
                            + "tls-alpn-01 unless --acme-http-port is given, e.g. --acme-challenge http-01.")
                    .withFlag("--acme-challenge").withLabel("TYPE").inFile("server.tls.acme_challenge"),
            SettingSpec.integer("acme-http-port", "Where to answer the HTTP-01 challenge while ordering (default 80; implies "
                            + "--acme-challenge http-01), e.g. --acme-http-port 8080 behind a port redirect.")
                    .withFlag("--acme-http-port").withLabel("PORT").inFile("server.tls.acme_http_port"),
            SettingSpec.duration("acme-renew-before", "30d", "Renew an ACME certificate this long before it expires."),
            SettingSpec.duration("acme-check-interval", "12h", "How often the certificate's expiry is checked."),
            SettingSpec.path("acme-ca", "Trust this PEM CA for the ACME server's own HTTPS (a private ACME CA such as step-ca), "
                            + "e.g. --acme-ca root.pem.")
                    .withFlag("--acme-ca").inFile("server.tls.acme_ca"));

    static TlsSettings from(Settings settings) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        Optional<Path> cert = settings.path("cert");
        Optional<Path> key = settings.path("key");
        List<String> acmeDomains = settings.list("acme-domain");
        if (!acmeDomains.isEmpty() && cert.isPresent()) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "use either --tls-cert/--tls-key or --acme-domain, not both");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "--tls-cert and --tls-key go together (a PEM certificate chain and its key)");
        }
        for (Optional<Path> file : List.of(cert, key, settings.path("ca"))) {
            if (file.isPresent() && !Files.isRegularFile(file.get())) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "TLS file not found: " + file.get());
            }
        }
        Optional<Path> decoy = settings.path("decoy-dir");
        if (decoy.isPresent() && !Files.isDirectory(decoy.get())) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "--decoy-dir " + decoy.get() + " is not a directory");
        }
        List<String> fingerprints = settings.list("fingerprint").stream().map(Fingerprints::normalize).toList();
        Optional<Integer> httpPort = settings.get("acme-http-port").map(port -> settings.integer("acme-http-port", 80));
        AcmeChallenge challenge = acmeChallenge(settings.get("acme-challenge"), httpPort.isPresent());
        return new TlsSettings(cert, key, settings.bool("stealth", false), decoy,
                settings.duration("handshake-timeout", Duration.ofSeconds(10)), settings.duration("sniff-timeout", Duration.ofSeconds(60)),
                settings.duration("keepalive-timeout", Duration.ofSeconds(75)),
                fingerprints, settings.path("ca"), settings.get("server-name"), settings.duration("connect-timeout", Duration.ofSeconds(10)),
                io.alknet.netty.Proxies.parse(settings.get("proxy")),
                acmeDomains, settings.get("acme-directory").orElse(LETS_ENCRYPT), settings.get("acme-email"),
                challenge, httpPort.orElse(80), settings.duration("acme-renew-before", Duration.ofDays(30)),
                settings.duration("acme-check-interval", Duration.ofHours(12)), settings.path("acme-ca"));
    }

    /** The challenge asked for; without one, HTTP-01 only when its port was given (the one reason to configure it). */
    private static AcmeChallenge acmeChallenge(Optional<String> asked, boolean httpPortGiven) {
        if (asked.isEmpty()) {
            return httpPortGiven ? AcmeChallenge.HTTP_01 : AcmeChallenge.TLS_ALPN_01;
        }
        String value = asked.get().strip().toLowerCase(java.util.Locale.ROOT);
        for (AcmeChallenge challenge : AcmeChallenge.values()) {
            if (challenge.id().equals(value)) {
                if (challenge == AcmeChallenge.TLS_ALPN_01 && httpPortGiven) {
                    throw new AlknetException(ErrorCode.INVALID_CONFIG, "--acme-http-port is for --acme-challenge http-01; "
                            + "tls-alpn-01 is answered on the tls:// listener itself: drop one of them");
                }
                return challenge;
            }
        }
        throw new AlknetException(ErrorCode.INVALID_CONFIG, "transport.tls.acme-challenge is '" + asked.get()
                + "': use tls-alpn-01 (on the tls:// listener, port 443) or http-01 (on --acme-http-port, port 80)");
    }
}
