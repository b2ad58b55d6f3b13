package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.ServerLimits;
import io.alknet.kernel.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code alknet serve}. Its own flags are the listeners, the limits and the grace period; every flag that sets a
 * component setting ({@code --host-key}, {@code --tls-cert}, …) is declared by the plugin that reads it and added at
 * start ({@link PluginOptions}), and so is the forwarding policy's line in {@code --help}.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run an alknet server: accept SSH sessions on every --listen address and forward what the policy allows.", ""},
        footer = {"",
                "Authentication is by public key only (no passwords): list client keys in --authorized-keys, trust a CA with",
                "--trusted-user-ca-keys, or give --api-keys for HTTP/raw clients.",
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

    @Option(names = "--advertise", paramLabel = "HOST",
            description = "The name clients reach this server by, in the alknet:// address it prints for listeners on every "
                    + "interface (default: this machine's host name), e.g. --advertise vpn.example.com.")
    String advertise;

    @Option(names = "--transport", paramLabel = "NAME",
            description = "Transport for --listen values without a scheme: tcp (default), tls or iroh. With iroh and no --listen, "
                    + "the server listens on iroh:// (every address, any UDP port) and prints its 'iroh address' for clients.")
    String transport;

    @Option(names = "--host-key-from-seed", arity = "0..1", fallbackValue = "", paramLabel = "PASSPHRASE_FILE",
            description = "Derive the host key from the seed ('alknet secret init') at m/74'/0'/1'/0' instead of --host-key; the seed "
                    + "file's passphrase is asked on the terminal, or read from PASSPHRASE_FILE, e.g. --host-key-from-seed=/run/secrets/alknet. "
                    + "The key goes to the SSH interface through an owner-only file that is deleted once the server started.")
    String hostKeyFromSeed;

    /** The owner-only file holding the host key derived from the seed, while the server starts. */
    private Path seedHostKey;

    @Option(names = "--max-auth-attempts", paramLabel = "N",
            description = "Failed authentications per connection before it is dropped (0 = unlimited; default: 10).")
    Integer maxAuthAttempts;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            description = "Concurrent connections per source address (0 = unlimited; default: 0).")
    Integer maxConnectionsPerIp;

    @Option(names = "--max-startups", paramLabel = "START:RATE:FULL",
            description = "Unauthenticated connections before new ones are dropped with RATE%% probability, rising to 100%% at "
                    + "FULL, as OpenSSH's MaxStartups (default: 100:30:1000; 'off' disables).")
    String maxStartups;

    @Option(names = "--per-source-penalties", paramLabel = "SPEC",
            description = "Penalties per source address, as OpenSSH's PerSourcePenalties (default: 'authfail:5s noauth:1s min:15s "
                    + "max:10m': a connection that fails to authenticate adds 5s, one that never tries adds 1s; a source holding "
                    + "15s or more is refused until it runs out; 'no' disables).")
    String perSourcePenalties;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "How long sessions may drain on shutdown (default: 2s).")
    String grace;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The flags the built-in plugins declare, added to this command by {@link #declare}. */
    private PluginOptions declaredFlags = PluginOptions.of(new PluginCatalog(List.of(), List.of(), Map.of()));

    /** The plugins this server runs with: the built-ins and the plugin directory's, found once. */
    private PluginCatalog catalog;

    /**
     * Adds the flags the plugins of {@code builtIns} declare to {@code command} (the serve command), and the forwarding
     * policy's default behaviour to its help.
     */
    static void declare(picocli.CommandLine command, PluginCatalog builtIns) {
        ServeCommand serve = command.getCommand();
        serve.declaredFlags = PluginOptions.of(builtIns);
        serve.declaredFlags.addTo(command.getCommandSpec());
        Optional.ofNullable(builtIns.of(ExtensionKind.FORWARDING_POLICY).get(BuiltIns.RULES))
                .map(policy -> policy.factory().defaultBehaviour()).filter(text -> !text.isBlank())
                .ifPresent(text -> {
                    List<String> footer = new ArrayList<>(List.of(command.getCommandSpec().usageMessage().footer()));
                    footer.add(3, "Forwarding policy: " + text.replace("%", "%%"));
                    command.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
                });
    }

    @Override
    public Integer call() throws Exception {
        catalog = Alknet.discover(Optional.ofNullable(common.pluginDirectory));
        if (hostKeyFromSeed != null) {
            boolean hostKeyFlag = declaredFlags.flags().stream().anyMatch(flag -> flag.value().isPresent()
                    && flag.settings().stream().anyMatch(setting -> setting.key().equals(BuiltIns.HOST_KEY)));
            if (hostKeyFlag) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "give either --host-key or --host-key-from-seed, not both");
            }
            seedHostKey = writeSeedHostKey();
        }
        ServerOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AlknetServer server;
        try {
            server = Alknet.server(options, catalog);
        } finally {
            if (seedHostKey != null) {
                java.nio.file.Files.deleteIfExists(seedHostKey); // the SSH interface loaded it while the server started
            }
        }
        Signals.onTerminate(() -> server.stop(options.gracePeriod()));
        boolean hangup = Signals.onHangup(() -> {
            try {
                err.println("alknet: configuration reloaded (generation " + reload(server) + ")");
            } catch (RuntimeException e) {
                err.println("alknet: reload rejected, keeping the previous configuration: " + e.getMessage());
            }
            err.flush();
        });
        if (!hangup) {
            err.println("alknet: warning: SIGHUP is ignored in this process (started under nohup?), so kill -HUP will not reload;"
                    + " use 'alknet reload' (same --state-dir), or start without nohup (systemd, setsid)");
        }
        AdminSocket admin = AdminSocket.start(options.stateDirectory(), () -> reload(server), err);
        Signals.onTerminate(admin::close);
        // a revocation made by 'alknet credential revoke' (or another server on the same database) closes sessions here
        StorageRevocations.start(options, () -> reload(server), err).ifPresent(revocations -> Signals.onTerminate(revocations::close));
        List<TransportAddress> bound = server.listenAddresses();
        for (int i = 0; i < bound.size(); i++) {
            out.println("alknet: listening on " + bound.get(i) + " (" + options.listeners().get(i).streamInterface() + ")");
        }
        server.info().forEach((key, value) -> out.println("alknet: " + key.replace('.', ' ').replace('-', ' ') + ": " + value));
        List<TransportAddress> sshPaths = new ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            if (options.listeners().get(i).streamInterface().equals(BuiltIns.SSH)) {
                sshPaths.add(bound.get(i));
            }
        }
        if (!sshPaths.isEmpty()) {
            // every way in and the host key in one string: alknet connect 'alknet://...' races the paths and pins the key
            out.println("alknet: address: " + MultiPathAddress.format(sshPaths, server.info().get("ssh.host-key-fingerprint"),
                    Optional.ofNullable(advertise)));
        }
        boolean credentials = options.identityProviders().stream().map(ExtensionKind.IDENTITY_PROVIDER::settingsPrefix)
                .anyMatch(prefix -> options.settings().keySet().stream().anyMatch(key -> key.startsWith(prefix)));
        if (!credentials) {
            out.println("alknet: warning: no --authorized-keys given, so no client can log in");
        }
        out.flush();
        server.awaitTermination();
        return ExitCodes.OK;
    }

    /** Re-reads the configuration file (when there is one) and every file it names, and swaps them in. */
    private long reload(AlknetServer server) {
        return config == null ? server.reload() : server.reload(options());
    }

    /**
     * The server's options: the configuration file if any, with the command line on top. A component setting comes, from
     * weakest to strongest, from the file's key for it, the file's {@code [settings]}, {@code --set}, and its flag.
     */
    ServerOptions options() {
        if (catalog == null) {
            catalog = Alknet.discover(Optional.ofNullable(common.pluginDirectory));
        }
        PluginOptions plugins = PluginOptions.of(catalog);
        ConfigFile file = config == null ? null : ConfigFile.read(config, plugins);
        ConfigFile.Server fileServer = file == null ? null : file.server();
        ConfigFile.Limits fileLimits = file == null ? null : file.limits();

        String graceText = first(grace, fileServer == null ? null : fileServer.grace(), "2s");
        ServerOptions.Builder options = BuiltIns.server()
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
        // the transports in use: the listeners', and the one forward targets are dialled through
        Set<String> transports = new LinkedHashSet<>(List.of(BuiltIns.TCP));
        for (String address : addresses) {
            TransportAddress parsed = Addresses.parse(address, scheme, BuiltIns.SSH_PORT, "--listen");
            options.listen(new ListenerSpec(parsed, BuiltIns.SSH));
            transports.add(parsed.scheme());
        }
        List<String> rawAddresses = !rawListen.isEmpty() ? rawListen
                : fileServer != null && fileServer.rawListen() != null ? fileServer.rawListen() : List.of();
        for (String address : rawAddresses) {
            TransportAddress parsed = Addresses.parse(address, scheme, 7000, "--raw-listen");
            options.listen(new ListenerSpec(parsed, BuiltIns.RAW));
            transports.add(parsed.scheme());
        }

        Set<String> explicit = new LinkedHashSet<>();
        if (file != null) {
            Map<String, List<PluginOptions.Declared>> fileKeys = plugins.fileKeys();
            file.declared().forEach((key, value) -> {
                String section = key.substring(0, key.lastIndexOf('.'));
                explicit.addAll(apply(options, fileKeys.get(key), value, transports,
                        "'" + key.substring(key.lastIndexOf('.') + 1) + "' in [" + section + "]"));
            });
            file.settings().forEach(options::setting);
        }
        common.settingsMap().forEach(options::setting);
        for (PluginOptions.Flag flag : declaredFlags.flags()) {
            flag.value().ifPresent(value -> explicit.addAll(apply(options, flag.settings(), value, transports, flag.option().longestName())));
        }
        if (seedHostKey != null) {
            options.setting(BuiltIns.HOST_KEY, seedHostKey.toString());
        }

        // the keys provider, and every other identity provider given something to check credentials against by a flag or a file key
        List<String> identityProviders = new ArrayList<>(List.of(BuiltIns.KEYS));
        for (String provider : catalog.of(ExtensionKind.IDENTITY_PROVIDER).keySet()) {
            String prefix = ExtensionKind.IDENTITY_PROVIDER.settingsPrefix(provider);
            if (!identityProviders.contains(provider) && explicit.stream().anyMatch(key -> key.startsWith(prefix))) {
                identityProviders.add(provider);
            }
        }
        options.identityProviders(identityProviders);

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
        // the SSH layer counts failed logins too: it must not cut a connection before the limit does
        options.setting(BuiltIns.SSH_MAX_AUTH_ATTEMPTS, Integer.toString(limits.maxAuthAttempts()));
        return options.build();
    }

    /**
     * Sets {@code value} for each of {@code settings} that applies: a transport's only when it is in use (a listener's,
     * or the forward transport); at least one must.
     *
     * @return the keys set
     * @throws AlknetException {@code INVALID_ARGUMENT} naming {@code given} (a flag, a file key) when none applies
     */
    private static List<String> apply(ServerOptions.Builder options, List<PluginOptions.Declared> settings, String value,
                                      Set<String> transports, String given) {
        List<String> set = new ArrayList<>();
        for (PluginOptions.Declared setting : settings) {
            if (setting.kind().equals(ExtensionKind.TRANSPORT) && !transports.contains(setting.name())) {
                continue;
            }
            options.setting(setting.key(), value);
            set.add(setting.key());
        }
        if (set.isEmpty()) {
            String scheme = settings.getFirst().name();
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, given + " applies to " + scheme + ":// listeners; add --listen "
                    + scheme + "://HOST:PORT" + (scheme.equals(BuiltIns.IROH) ? " (or --transport iroh)" : ""));
        }
        return set;
    }

    /** Derives the host key at m/74'/0'/1'/0' into a new owner-only file in the state directory. */
    private Path writeSeedHostKey() throws java.io.IOException {
        Path stateDirectory = common.stateDirectory != null ? common.stateDirectory : Alknet.defaultStateDirectory();
        java.security.KeyPair pair = SeedKeys.derive(stateDirectory, io.alknet.secret.KeyPaths.SSH_HOST_KEY.toString(),
                hostKeyFromSeed.isEmpty() ? null : Path.of(hostKeyFromSeed), "--host-key-from-seed");
        java.nio.file.Files.createDirectories(stateDirectory);
        Path file = java.nio.file.Files.createTempFile(stateDirectory, ".host-key-from-seed-", ".tmp"); // mode 0600 from the start
        java.nio.file.Files.write(file, io.alknet.interfaces.ssh.OpenSshKeys.privateKeyFile(pair, "alknet-host-from-seed"));
        return file;
    }

    private static int nonNegative(String what, int value) {
        if (value < 0) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, what + " must be 0 or more, got " + value);
        }
        return value;
    }

    private static String first(String flag, String fromFile, String fallback) {
        return flag != null ? flag : fromFile != null ? fromFile : fallback;
    }

    private static String defaultListen() {
        return "root".equals(System.getProperty("user.name")) ? "tcp://0.0.0.0:22" : "tcp://127.0.0.1:" + BuiltIns.SSH_PORT;
    }
}
