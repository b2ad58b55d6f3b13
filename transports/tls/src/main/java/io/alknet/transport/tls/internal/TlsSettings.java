package io.alknet.transport.tls.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the tls transport ({@code transport.tls.*}).
 *
 * <p>Server: {@code cert} and {@code key} (PEM: the certificate chain and its PKCS#8 private key),
 * {@code stealth} (look like nginx to anything that is not SSH), {@code decoy-dir} (serve these static files
 * to HTTP visitors instead of 404s), {@code handshake-timeout} (default 10s), {@code sniff-timeout} (how
 * long a stealth listener waits for a request, default 60s like nginx's {@code client_header_timeout}).
 *
 * <p>Client: {@code fingerprint} (pin the server certificate: {@code SHA256:base64} or hex, comma
 * separated), {@code ca} (trust this PEM CA file instead of the system store), {@code server-name} (the SNI
 * name; default: the host of the address unless it is an IP literal), {@code connect-timeout}, {@code proxy}
 * ({@code socks5://HOST:PORT} or {@code http://HOST:PORT}: the TLS connection goes through it; spec: client
 * {@code --proxy} carries the transport).
 */
record TlsSettings(Optional<Path> cert, Optional<Path> key, boolean stealth, Optional<Path> decoyDirectory,
                   Duration handshakeTimeout, Duration sniffTimeout, List<String> fingerprints, Optional<Path> ca,
                   Optional<String> serverName, Duration connectTimeout, Optional<io.alknet.netty.Proxies.Proxy> proxy) {

    static final Set<String> KEYS = Set.of("cert", "key", "stealth", "decoy-dir", "handshake-timeout", "sniff-timeout",
            "fingerprint", "ca", "server-name", "connect-timeout", "proxy");

    static TlsSettings from(Settings settings) {
        settings.requireOnly(KEYS);
        Optional<Path> cert = settings.path("cert");
        Optional<Path> key = settings.path("key");
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
        return new TlsSettings(cert, key, settings.bool("stealth", false), decoy,
                settings.duration("handshake-timeout", Duration.ofSeconds(10)), settings.duration("sniff-timeout", Duration.ofSeconds(60)),
                fingerprints, settings.path("ca"), settings.get("server-name"), settings.duration("connect-timeout", Duration.ofSeconds(10)),
                io.alknet.netty.Proxies.parse(settings.get("proxy")));
    }
}
