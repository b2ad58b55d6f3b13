package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import io.alknet.api.transport.TransportAddress;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.ServerLimits;
import io.alknet.kernel.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code alknet serve}. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run an alknet server: accept SSH sessions on every --listen address and forward what the policy allows.", ""},
        footer = {"",
                "Authentication is by public key only (no passwords): list client keys in --authorized-keys, trust a CA with",
                "--trusted-user-ca-keys, or give --api-keys for HTTP/raw clients.",
                "Forwarding policy: " + ServeCommand.POLICY_DEFAULT,
                "Abuse limits: a source whose connections fail to authenticate is refused for a while (--per-source-penalties);",
                "too many unauthenticated connections are dropped at random (--max-startups). Every refusal is logged with",
                "remote_addr= for fail2ban (docs/fail2ban/).",
                "Reload: 'alknet reload' or SIGHUP re-reads --config, --authorized-keys, --trusted-user-ca-keys, --api-keys and",
                "--policy without a restart; a bad file is refused whole and the running configuration stays.",
                "",
                "Examples:",
                "  alknet serve --listen tcp://0.0.0.0:2222 --authorized-keys ~/.alknet/authorized_keys",
                "  alknet serve --config /etc/alknet/alknet.toml",
                "  alknet serve --transport iroh --authorized-keys keys    # prints 'iroh address: iroh://ID?addr=…' for clients",
                "  alknet serve --listen tcp://127.0.0.1:2222 --host-key host_key --authorized-keys keys --policy policy.rules"})
final class ServeCommand implements Callable<Integer> {

    static final String POLICY_DEFAULT = "without --policy, every authenticated forward is allowed except to link-local and "
            + "cloud-metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254). A policy file lists allow/deny rules, "
            + "first match wins; when none matches its 'default' applies (allow unless it says 'default deny').";

    @Option(names = {"--config", "-c"}, paramLabel = "FILE",
            description = "Configuration file (TOML; see docs/configuration.md). Flags given on the command line win over it.")
    Path config;

    @Option(names = {"--listen", "-l"}, paramLabel = "ADDRESS",
            description = "Listen address, repeatable: tcp://HOST:PORT, tls://HOST:PORT, iroh:// (or iroh://IP:PORT to pick the "
                    + "UDP socket), or HOST:PORT with --transport. "
                    + "Default: tcp://127.0.0.1:2222, or tcp://0.0.0.0:22 when run as root.")
    List<String> listen = List.of();

    @Option(names = "--raw-listen", paramLabel = "ADDRESS",
            description = "Also serve the call protocol with raw framing (length-prefixed JSON, no SSH; token or API key auth) "
                    + "on this address, repeatable, e.g. --raw-listen tcp://127.0.0.1:7000. Plain TCP only serves loopback clients.")
    List<String> rawListen = List.of();

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "Serve the call protocol over HTTP (POST /v1/call/OP, GET /v1/ops; bearer token or API key) on this "
                    + "address, e.g. --http 127.0.0.1:8080. With --stealth, the TLS port passes /v1/ requests that carry a credential to "
                    + "it too (in-process, with the real client address).")
    String http;

    @Option(names = "--transport", paramLabel = "NAME",
            description = "Transport for --listen values without a scheme: tcp (default), tls or iroh. With iroh and no --listen, "
                    + "the server listens on iroh:// (every address, any UDP port) and prints its 'iroh address' for clients.")
    String transport;

    @Option(names = "--iroh-relay", paramLabel = "URL|none",
            description = "For iroh listeners: the relay to register with instead of n0's public relays, or 'none' for direct "
                    + "addresses only (LANs, tests), e.g. --iroh-relay none.")
    String irohRelay;

    @Option(names = {"--host-key", "--key"}, paramLabel = "FILE",
            description = "Host key (OpenSSH private key). Default: generated once into the state directory.")
    Path hostKey;

    @Option(names = "--host-key-from-seed", arity = "0..1", fallbackValue = "", paramLabel = "PASSPHRASE_FILE",
            description = "Derive the host key from the seed ('alknet secret init') at m/74'/0'/1'/0' instead of --host-key; the seed "
                    + "file's passphrase is asked on the terminal, or read from PASSPHRASE_FILE, e.g. --host-key-from-seed=/run/secrets/alknet. "
                    + "The key goes to the SSH interface through an owner-only file that is deleted once the server started.")
    String hostKeyFromSeed;

    /** The owner-only file holding the host key derived from the seed, while the server starts. */
    private Path seedHostKey;

    @Option(names = "--authorized-keys", paramLabel = "FILE",
            description = "Client public keys allowed to log in, OpenSSH authorized_keys format (ssh-ed25519). The same keys may "
                    + "sign tokens (alknet token). Without it nobody can log in with a key.")
    Path authorizedKeys;

    @Option(names = {"--trusted-user-ca-keys", "--cert-authority"}, paramLabel = "FILE",
            description = "Certificate authorities (OpenSSH public keys, one per line) whose user certificates "
                    + "(ssh-keygen -s) may log in, like sshd's TrustedUserCAKeys.")
    Path trustedUserCaKeys;

    @Option(names = "--api-keys", paramLabel = "FILE",
            description = "API key file (hashes only), managed with 'alknet apikey create|list|revoke --file FILE'.")
    Path apiKeys;

    @Option(names = "--policy", paramLabel = "FILE", description = "Forwarding policy rules (see 'alknet policy explain --help').")
    Path policy;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "Dial every forward target through this proxy (socks5://HOST:PORT or http://HOST:PORT for HTTP CONNECT), "
                    + "e.g. --proxy socks5://127.0.0.1:9050 to leave through Tor. Names are resolved here first and checked by the policy.")
    String outboundProxy;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain for tls:// listeners, e.g. --tls-cert /etc/alknet/fullchain.pem.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "Its private key (unencrypted PKCS#8 PEM, 'BEGIN PRIVATE KEY'), e.g. --tls-key /etc/alknet/key.pem.")
    Path tlsKey;

    @Option(names = "--acme-domain", paramLabel = "NAME", split = ",",
            description = "Get (and renew) the certificate for tls:// listeners from an ACME CA for these names, answering HTTP-01 "
                    + "on --acme-http-port, e.g. --acme-domain tunnel.example.com. Kept in the state directory.")
    List<String> acmeDomains = List.of();

    @Option(names = "--acme-directory", paramLabel = "URL",
            description = "The ACME directory (default: Let's Encrypt production), e.g. "
                    + "--acme-directory https://acme-staging-v02.api.letsencrypt.org/directory.")
    String acmeDirectory;

    @Option(names = "--acme-ca", paramLabel = "FILE",
            description = "Trust this PEM CA for the ACME server's own HTTPS (a private ACME CA such as step-ca), e.g. --acme-ca root.pem.")
    Path acmeCa;

    @Option(names = "--acme-email", paramLabel = "ADDRESS", description = "Contact address for the ACME account, e.g. --acme-email ops@example.com.")
    String acmeEmail;

    @Option(names = "--acme-http-port", paramLabel = "PORT",
            description = "Where to answer the HTTP-01 challenge while ordering (default: 80), e.g. --acme-http-port 8080 behind a port redirect.")
    Integer acmeHttpPort;

    @Option(names = "--stealth",
            description = "On tls:// listeners, answer everything that is not SSH like an nginx web server (404s), "
                    + "e.g. --listen tls://0.0.0.0:443 --stealth. Needs a tls:// listener.")
    boolean stealth;

    @Option(names = "--decoy-dir", paramLabel = "DIR",
            description = "With --stealth, serve the files of DIR to web visitors instead of 404s, e.g. --decoy-dir /var/www/html.")
    Path decoyDir;

    @Option(names = "--cipher", paramLabel = "NAME[,NAME...]", split = ",",
            description = "SSH cipher preference, like ssh -c (default: aes128-gcm, aes256-gcm, chacha20-poly1305, aes128-ctr, aes256-ctr).")
    List<String> ciphers = List.of();

    @Option(names = "--max-auth-attempts", paramLabel = "N",
            description = "Failed authentications per connection before it is dropped (0 = unlimited; default: 10).")
    Integer maxAuthAttempts;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            description = "Concurrent connections per source address (0 = unlimited; default: 0).")
    Integer maxConnectionsPerIp;

    @Option(names = "--max-startups", paramLabel = "START:RATE:FULL",
            description = "Unauthenticated connections before new ones are dropped with RATE% probability, rising to 100% at "
                    + "FULL, as OpenSSH's MaxStartups (default: 100:30:1000; 'off' disables).")
    String maxStartups;

    @Option(names = "--per-source-penalties", paramLabel = "SPEC",
            description = "Penalties per source address, as OpenSSH's PerSourcePenalties (default: 'authfail:5s noauth:1s min:15s "
                    + "max:10m': a connection that fails to authenticate adds 5s, one that never tries adds 1s; a source holding "
                    + "15s or more is refused until it runs out; 'no' disables).")
    String perSourcePenalties;

    @Option(names = "--gateway-ports", arity = "0..1", fallbackValue = "yes", paramLabel = "no|yes|clientspecified",
            description = "Where remote forwards (-R) listen, as OpenSSH's GatewayPorts: no (default) loopback only, whatever "
                    + "the client asks; yes (or the bare flag) every interface; clientspecified the address the client names. "
                    + "The policy still decides, and ports below 1024 need a policy rule that names them.")
    String gatewayPorts;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "How long sessions may drain on shutdown (default: 2s).")
    String grace;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hostKeyFromSeed != null) {
            if (hostKey != null) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "give either --host-key or --host-key-from-seed, not both");
            }
            seedHostKey = writeSeedHostKey();
        }
        ServerOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AlknetServer server;
        try {
            server = Alknet.server(options);
        } finally {
            if (seedHostKey != null) {
                java.nio.file.Files.deleteIfExists(seedHostKey); // the SSH interface loaded it while the server started
            }
        }
        Signals.onTerminate(() -> server.stop(options.gracePeriod()));
        Signals.onHangup(() -> {
            try {
                err.println("alknet: configuration reloaded (generation " + reload(server) + ")");
            } catch (RuntimeException e) {
                err.println("alknet: reload rejected, keeping the previous configuration: " + e.getMessage());
            }
            err.flush();
        });
        AdminSocket admin = AdminSocket.start(options.stateDirectory(), () -> reload(server), err);
        Signals.onTerminate(admin::close);
        List<TransportAddress> bound = server.listenAddresses();
        for (int i = 0; i < bound.size(); i++) {
            out.println("alknet: listening on " + bound.get(i) + " (" + options.listeners().get(i).streamInterface() + ")");
        }
        server.info().forEach((key, value) -> out.println("alknet: " + key.replace('.', ' ').replace('-', ' ') + ": " + value));
        if (!options.settings().containsKey("identity.keys.authorized-keys") && !options.settings().containsKey("identity.keys.trusted-user-ca-keys")
                && !options.identityProviders().contains("apikey")) {
            out.println("alknet: warning: no --authorized-keys given, so no client can log in");
        }
        out.flush();
        server.awaitTermination();
        return ExitCodes.OK;
    }

    /** The TLS options in force: each flag, else the configuration file's {@code [server.tls]}. */
    private record TlsChoice(String cert, String key, boolean stealth, String decoyDir, List<String> acmeDomains,
                             String acmeDirectory, String acmeEmail, String acmeCa, Integer acmeHttpPort) {
    }

    private TlsChoice tlsChoice(ConfigFile.Tls file) {
        ConfigFile.Tls fromFile = file == null ? new ConfigFile.Tls(null, null, null, null, null, null, null, null, null) : file;
        return new TlsChoice(first(path(tlsCert), fromFile.cert(), null), first(path(tlsKey), fromFile.key(), null),
                stealth || Boolean.TRUE.equals(fromFile.stealth()), first(path(decoyDir), fromFile.decoyDir(), null),
                !acmeDomains.isEmpty() ? acmeDomains : fromFile.acmeDomain() == null ? List.of() : fromFile.acmeDomain(),
                first(acmeDirectory, fromFile.acmeDirectory(), null), first(acmeEmail, fromFile.acmeEmail(), null),
                first(path(acmeCa), fromFile.acmeCa(), null), acmeHttpPort != null ? acmeHttpPort : fromFile.acmeHttpPort());
    }

    private static void tlsOptions(ServerOptions.Builder options, boolean tlsListener, TlsChoice tls) {
        if (tls.stealth() && !tlsListener) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--stealth needs a tls:// listener, e.g. --listen tls://0.0.0.0:443");
        }
        if (tls.decoyDir() != null && !tls.stealth()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--decoy-dir only applies with --stealth");
        }
        if ((tls.cert() != null || tls.key() != null || !tls.acmeDomains().isEmpty()) && !tlsListener) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT,
                    "--tls-cert, --tls-key and --acme-domain apply to tls:// listeners; add --listen tls://HOST:PORT");
        }
        if (tlsListener && tls.acmeDomains().isEmpty() && (tls.cert() == null || tls.key() == null)) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT,
                    "a tls:// listener needs --tls-cert FILE and --tls-key FILE (PEM), or --acme-domain NAME");
        }
        if (!tls.acmeDomains().isEmpty()) {
            options.setting("transport.tls.acme-domain", String.join(",", tls.acmeDomains()));
            if (tls.acmeDirectory() != null) {
                options.setting("transport.tls.acme-directory", tls.acmeDirectory());
            }
            if (tls.acmeEmail() != null) {
                options.setting("transport.tls.acme-email", tls.acmeEmail());
            }
            if (tls.acmeCa() != null) {
                options.setting("transport.tls.acme-ca", tls.acmeCa());
            }
            if (tls.acmeHttpPort() != null) {
                options.setting("transport.tls.acme-http-port", tls.acmeHttpPort().toString());
            }
        }
        if (tls.cert() != null) {
            options.setting("transport.tls.cert", tls.cert());
            options.setting("transport.tls.key", tls.key());
        }
        if (tls.stealth()) {
            options.setting("transport.tls.stealth", "true");
        }
        if (tls.decoyDir() != null) {
            options.setting("transport.tls.decoy-dir", tls.decoyDir());
        }
    }

    /** Re-reads the configuration file (when there is one) and every file it names, and swaps them in. */
    private long reload(AlknetServer server) {
        return config == null ? server.reload() : server.reload(options());
    }

    /** The server's options: the configuration file if any, with the command line's flags on top. */
    ServerOptions options() {
        ConfigFile file = config == null ? null : ConfigFile.read(config);
        ConfigFile.Server fileServer = file == null ? null : file.server();
        ConfigFile.Auth fileAuth = file == null ? null : file.auth();
        ConfigFile.Limits fileLimits = file == null ? null : file.limits();
        ConfigFile.Forwarding fileForwarding = file == null ? null : file.forwarding();

        String graceText = first(grace, fileServer == null ? null : fileServer.grace(), "2s");
        ServerOptions.Builder options = ServerOptions.builder()
                .gracePeriod(Durations.parse("--grace", graceText))
                .pluginDirectory(common.pluginDirectory);
        if (common.stateDirectory != null) {
            options.stateDirectory(common.stateDirectory);
        }
        List<String> addresses = !listen.isEmpty() ? listen
                : fileServer != null && fileServer.listen() != null ? fileServer.listen() : null;
        String scheme = first(transport, fileServer == null ? null : fileServer.transport(), null);
        if (addresses == null) {
            addresses = List.of("iroh".equalsIgnoreCase(scheme) ? "iroh://" : defaultListen());
        }
        for (String address : addresses) {
            TransportAddress parsed = Addresses.parse(address, scheme, 2222, "--listen");
            options.listen(new ListenerSpec(parsed, "ssh"));
        }
        List<String> rawAddresses = !rawListen.isEmpty() ? rawListen
                : fileServer != null && fileServer.rawListen() != null ? fileServer.rawListen() : List.of();
        boolean tlsListener = false;
        for (String address : addresses) {
            tlsListener |= Addresses.parse(address, scheme, 2222, "--listen").scheme().equals("tls");
        }
        for (String address : rawAddresses) {
            TransportAddress parsed = Addresses.parse(address, scheme, 7000, "--raw-listen");
            tlsListener |= parsed.scheme().equals("tls");
            options.listen(new ListenerSpec(parsed, "raw"));
        }
        String httpAddress = first(http, fileServer == null ? null : fileServer.http(), null);
        TlsChoice tls = tlsChoice(fileServer == null ? null : fileServer.tls());
        if (httpAddress != null) {
            // with --stealth the TLS port passes authenticated /v1/… requests to this interface in-process
            options.setting("interface.http.listen", httpAddress);
        }
        tlsOptions(options, tlsListener, tls);
        String proxyUrl = first(outboundProxy, fileServer == null ? null : fileServer.proxy(), null);
        if (proxyUrl != null) {
            options.setting("transport.tcp.proxy", proxyUrl);
        }
        boolean irohListener = addresses.stream().anyMatch(a -> Addresses.parse(a, scheme, 2222, "--listen").scheme().equals("iroh"));
        String relay = first(irohRelay, fileServer == null || fileServer.iroh() == null ? null : fileServer.iroh().relay(), null);
        if (relay != null && !irohListener) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--iroh-relay applies to iroh listeners; add --listen iroh:// "
                    + "(or --transport iroh)");
        }
        if (relay != null) {
            options.setting("transport.iroh.relay", relay);
        }
        if (proxyUrl != null && irohListener) {
            options.setting("transport.iroh.proxy", proxyUrl); // the endpoint's relay traffic too (spec 3.3)
        }
        if (file != null) {
            file.settings().forEach(options::setting);
        }
        common.settingsMap().forEach(options::setting);

        String key = seedHostKey != null ? seedHostKey.toString()
                : first(path(hostKey), fileServer == null ? null : fileServer.hostKey(), null);
        if (key != null) {
            options.setting("interface.ssh.host-key", key);
        }
        List<String> keys = paths(authorizedKeys, fileAuth == null ? null : fileAuth.authorizedKeys());
        if (!keys.isEmpty()) {
            options.setting("identity.keys.authorized-keys", String.join(",", keys));
        }
        List<String> authorities = paths(trustedUserCaKeys, fileAuth == null ? null : fileAuth.trustedUserCaKeys());
        if (!authorities.isEmpty()) {
            options.setting("identity.keys.trusted-user-ca-keys", String.join(",", authorities));
        }
        if (fileAuth != null && fileAuth.tokens() != null) {
            options.setting("identity.keys.tokens", fileAuth.tokens().toString());
        }
        if (fileAuth != null && fileAuth.tokenMaxAge() != null) {
            options.setting("identity.keys.token-max-age", fileAuth.tokenMaxAge());
        }
        List<String> keyFiles = paths(apiKeys, fileAuth == null ? null : fileAuth.apiKeys());
        if (!keyFiles.isEmpty()) {
            options.setting("identity.apikey.file", String.join(",", keyFiles));
            options.identityProviders(List.of("keys", "apikey"));
        }

        String policyFile = first(path(policy), fileForwarding == null ? null : fileForwarding.policy(), null);
        if (policyFile != null) {
            options.policy(Path.of(policyFile));
        } else if (fileForwarding != null && fileForwarding.rules() != null) {
            options.setting("policy.rules.text", fileForwarding.rules());
        }

        List<String> cipherList = !ciphers.isEmpty() ? ciphers
                : fileServer != null && fileServer.ciphers() != null ? fileServer.ciphers() : List.of();
        if (!cipherList.isEmpty()) {
            options.setting("interface.ssh.ciphers", String.join(",", cipherList));
        }
        String gateway = gatewayPorts != null ? gatewayPorts : fileServer == null ? null : fileServer.gatewayPorts();
        if (gateway != null) {
            options.setting("interface.ssh.gateway-ports", gateway);
        }

        ServerLimits limits = ServerLimits.DEFAULT;
        Integer attempts = maxAuthAttempts != null ? maxAuthAttempts : fileLimits == null ? null : fileLimits.maxAuthAttempts();
        if (attempts != null) {
            limits = limits.withMaxAuthAttempts(nonNegative("--max-auth-attempts", attempts));
        }
        Integer perIp = maxConnectionsPerIp != null ? maxConnectionsPerIp : fileLimits == null ? null : fileLimits.maxConnectionsPerIp();
        if (perIp != null) {
            limits = limits.withMaxConnectionsPerIp(nonNegative("--max-connections-per-ip", perIp));
        }
        String startups = first(maxStartups, fileLimits == null ? null : fileLimits.maxStartups(), null);
        if (startups != null) {
            limits = limits.withMaxStartups(ServerLimits.MaxStartups.parse(startups));
        }
        String penalties = first(perSourcePenalties, fileLimits == null ? null : fileLimits.perSourcePenalties(), null);
        if (penalties != null) {
            limits = limits.withPenalties(ServerLimits.Penalties.parse(penalties));
        }
        options.limits(limits);
        options.setting("interface.ssh.max-auth-attempts", Integer.toString(limits.maxAuthAttempts()));
        return options.build();
    }

    /** Derives the host key at m/74'/0'/1'/0' into a new owner-only file in the state directory. */
    private Path writeSeedHostKey() throws java.io.IOException {
        Path stateDirectory = common.stateDirectory != null ? common.stateDirectory : Alknet.defaultStateDirectory();
        java.security.KeyPair pair = SeedKeys.derive(stateDirectory, io.alknet.secret.KeyPaths.SSH_HOST_KEY.toString(),
                hostKeyFromSeed.isEmpty() ? null : Path.of(hostKeyFromSeed), "--host-key-from-seed");
        java.nio.file.Files.createDirectories(stateDirectory);
        Path file = java.nio.file.Files.createTempFile(stateDirectory, ".host-key-from-seed-", ".tmp"); // mode 0600 from the start
        java.nio.file.Files.write(file, io.alknet.ssh.OpenSshKeys.privateKeyFile(pair, "alknet-host-from-seed"));
        return file;
    }

    private static int nonNegative(String what, int value) {
        if (value < 0) {
            throw new io.alknet.api.AlknetException(io.alknet.api.ErrorCode.INVALID_ARGUMENT, what + " must be 0 or more, got " + value);
        }
        return value;
    }

    private static String path(Path path) {
        return path == null ? null : path.toString();
    }

    private static List<String> paths(Path flag, List<String> fromFile) {
        if (flag != null) {
            return List.of(flag.toString());
        }
        return fromFile == null ? List.of() : new ArrayList<>(fromFile);
    }

    private static String first(String flag, String fromFile, String fallback) {
        return flag != null ? flag : fromFile != null ? fromFile : fallback;
    }

    private static String defaultListen() {
        return "root".equals(System.getProperty("user.name")) ? "tcp://0.0.0.0:22" : "tcp://127.0.0.1:2222";
    }
}
