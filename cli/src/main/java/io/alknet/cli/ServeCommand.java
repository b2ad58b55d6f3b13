package io.alknet.cli;

import io.alknet.api.transport.TransportAddress;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code alknet serve}. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run an alknet server: accept SSH sessions on every --listen address and forward what the policy allows.", ""},
        footer = {"",
                "Authentication is by public key only (no passwords): list client keys in --authorized-keys.",
                "Forwarding policy: " + ServeCommand.POLICY_DEFAULT,
                "Reload: send SIGHUP to re-read --authorized-keys and --policy without a restart.",
                "",
                "Examples:",
                "  alknet serve --listen tcp://0.0.0.0:2222 --authorized-keys ~/.alknet/authorized_keys",
                "  alknet serve --listen tcp://127.0.0.1:2222 --host-key host_key --authorized-keys keys --policy policy.rules"})
final class ServeCommand implements Callable<Integer> {

    static final String POLICY_DEFAULT = "without --policy, every authenticated forward is allowed except to link-local and "
            + "cloud-metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254). A policy file lists allow/deny rules, "
            + "first match wins; when none matches its 'default' applies (allow unless it says 'default deny').";

    @Option(names = {"--listen", "-l"}, paramLabel = "ADDRESS",
            description = "Listen address, repeatable: tcp://HOST:PORT (or HOST:PORT with --transport). "
                    + "Default: tcp://127.0.0.1:2222, or tcp://0.0.0.0:22 when run as root.")
    List<String> listen = List.of();

    @Option(names = "--transport", paramLabel = "NAME", description = "Transport for --listen values without a scheme (default: tcp).")
    String transport;

    @Option(names = {"--host-key", "--key"}, paramLabel = "FILE",
            description = "Host key (OpenSSH private key). Default: generated once into the state directory.")
    Path hostKey;

    @Option(names = "--authorized-keys", paramLabel = "FILE",
            description = "Client public keys allowed to log in, OpenSSH authorized_keys format (ssh-ed25519). Without it nobody can log in.")
    Path authorizedKeys;

    @Option(names = "--policy", paramLabel = "FILE", description = "Forwarding policy rules (see 'alknet policy explain --help').")
    Path policy;

    @Option(names = "--cipher", paramLabel = "NAME[,NAME...]", split = ",",
            description = "SSH cipher preference, like ssh -c (default: aes128-gcm, aes256-gcm, chacha20-poly1305, aes128-ctr, aes256-ctr).")
    List<String> ciphers = List.of();

    @Option(names = "--max-auth-attempts", paramLabel = "N", defaultValue = "10",
            description = "Failed authentications per connection before it is dropped (0 = unlimited; default: ${DEFAULT-VALUE}).")
    int maxAuthAttempts;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", defaultValue = "0",
            description = "Concurrent connections per source address (0 = unlimited; default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp;

    @Option(names = "--gateway-ports", description = "Let remote forwards (-R) listen on all interfaces, not only loopback.")
    boolean gatewayPorts;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "2s",
            description = "How long sessions may drain on shutdown (default: ${DEFAULT-VALUE}).")
    String grace;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServerOptions.Builder options = ServerOptions.builder()
                .maxAuthAttempts(maxAuthAttempts)
                .maxConnectionsPerIp(maxConnectionsPerIp)
                .gracePeriod(Durations.parse("--grace", grace))
                .pluginDirectory(common.pluginDirectory);
        if (common.stateDirectory != null) {
            options.stateDirectory(common.stateDirectory);
        }
        List<String> addresses = listen.isEmpty() ? List.of(defaultListen()) : listen;
        for (String address : addresses) {
            TransportAddress parsed = Addresses.parse(address, transport, 2222, "--listen");
            options.listen(new ListenerSpec(parsed, "ssh"));
        }
        common.settingsMap().forEach(options::setting);
        if (hostKey != null) {
            options.hostKey(hostKey);
        }
        if (authorizedKeys != null) {
            options.authorizedKeys(authorizedKeys);
        }
        if (policy != null) {
            options.policy(policy);
        }
        if (!ciphers.isEmpty()) {
            options.setting("interface.ssh.ciphers", String.join(",", ciphers));
        }
        options.setting("interface.ssh.max-auth-attempts", Integer.toString(maxAuthAttempts));
        if (gatewayPorts) {
            options.setting("interface.ssh.gateway-ports", "true");
        }
        PrintWriter out = spec.commandLine().getOut();
        AlknetServer server = Alknet.server(options.build());
        Signals.onTerminate(() -> server.stop(Durations.parse("--grace", grace)));
        Signals.onHangup(() -> {
            try {
                long generation = server.reload();
                spec.commandLine().getErr().println("alknet: configuration reloaded (generation " + generation + ")");
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("alknet: reload rejected, keeping the previous configuration: " + e.getMessage());
            }
            spec.commandLine().getErr().flush();
        });
        for (TransportAddress address : server.listenAddresses()) {
            out.println("alknet: listening on " + address + " (ssh)");
        }
        server.info().forEach((key, value) -> out.println("alknet: " + key.replace('.', ' ').replace('-', ' ') + ": " + value));
        if (authorizedKeys == null) {
            out.println("alknet: warning: no --authorized-keys given, so no client can log in");
        }
        out.flush();
        server.awaitTermination();
        return ExitCodes.OK;
    }

    private static String defaultListen() {
        return "root".equals(System.getProperty("user.name")) ? "tcp://0.0.0.0:22" : "tcp://127.0.0.1:2222";
    }
}
