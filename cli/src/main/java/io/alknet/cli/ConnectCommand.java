package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.ClientEvent;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ClientStats;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ReconnectPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code alknet connect}. */
@Command(name = "connect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Connect to an alknet (or OpenSSH) server and run a SOCKS5 proxy and port forwards through the session.",
                "The session is re-established automatically if it is lost; local listeners stay open meanwhile",
                "(new SOCKS5 requests then fail at once with 'general failure', new -L connections are closed).", ""},
        footer = {"",
                "The server's host key must be verified: pin it with --host-key-fingerprint (alknet serve prints it)",
                "or give an OpenSSH known_hosts file. There is no silent trust-on-first-use.",
                "",
                "SOCKS5 is on by default at 127.0.0.1:1080 (names are resolved by the server: no DNS leak);",
                "choose the address with -D, or turn it off with --no-socks5.",
                "",
                "Examples:",
                "  alknet connect tcp://example.com:2222 -i ~/.alknet/id_ed25519 --host-key-fingerprint SHA256:abc...",
                "      # then: curl --socks5-hostname 127.0.0.1:1080 http://intranet.local/",
                "  alknet connect tcp://example.com:2222 -i key --host-key-fingerprint SHA256:abc... -D 9050 -L 8080:intranet.local:80",
                "  alknet connect tcp://example.com:2222 -i key --host-key-fingerprint SHA256:abc... --no-socks5 -R 8022:127.0.0.1:22",
                "  alknet connect example.com:22 -i id_ed25519 --known-hosts ~/.ssh/known_hosts -L 5432:db.internal:5432",
                "  alknet connect tcp://[2001:db8::1]:2222 -i key --host-key-fingerprint SHA256:abc... -L '[::1]:8443:web:443'",
                "  alknet connect 'iroh://ENDPOINT_ID?addr=192.0.2.7:41641' -i key --host-key-fingerprint SHA256:abc...",
                "  alknet connect --peer ENDPOINT_ID -i key --host-key-fingerprint SHA256:abc...   # found through n0's relays"})
final class ConnectCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS",
            description = "Server address: tcp://HOST:PORT, tls://HOST:PORT, iroh://ENDPOINT_ID[?addr=IP:PORT], or HOST[:PORT] "
                    + "(default port 22); or alknet://PATH,PATH,...#SHA256:HOSTKEY as alknet serve prints it (the paths are raced "
                    + "as with --via, the host key is pinned). Default: $ALKNET_SERVER. "
                    + "e.g. tcp://example.com:2222, example.com, '[2001:db8::1]:2222'.")
    String address;

    @Mixin
    ServerLogin login;

    @Option(names = "--via", paramLabel = "ADDRESS",
            description = "Another way to the same server, repeatable, raced with ADDRESS Happy-Eyeballs style (the next path "
                    + "starts 250 ms after the one before unless it failed sooner; the first SSH session whose host key "
                    + "verifies wins, the others are closed); a reconnect tries the last winner first. "
                    + "e.g. connect iroh://ENDPOINT_ID --via tls://example.com:443 --via tcp://example.com:22")
    List<String> via = new ArrayList<>();

    @Option(names = {"-L", "--forward"}, paramLabel = "[BIND:]PORT:HOST:HOSTPORT",
            description = "Local forward, repeatable: listen on BIND:PORT (default 127.0.0.1) and connect each "
                    + "connection to HOST:HOSTPORT as seen from the server. IPv6 in brackets. e.g. -L 5432:db.internal:5432, "
                    + "-L '[::1]:8080:[fd00::5]:80'.")
    List<String> localForwards = new ArrayList<>();

    @Option(names = {"-R", "--remote-forward"}, paramLabel = "[BIND:]PORT:HOST:HOSTPORT",
            description = "Remote forward, repeatable: the server listens on BIND:PORT (default: its loopback) and each "
                    + "connection is connected to HOST:HOSTPORT from this machine. A refusal at startup is fatal; "
                    + "after a reconnect it is reported and retried on the next reconnect. e.g. -R 8022:127.0.0.1:22")
    List<String> remoteForwards = new ArrayList<>();

    @Option(names = {"-D", "--socks5"}, paramLabel = "[BIND:]PORT",
            description = "Run the SOCKS5 proxy on BIND:PORT (default 127.0.0.1:1080), e.g. -D 9050, -D '[::1]:1080'.")
    List<String> socks = new ArrayList<>();

    @Option(names = "--no-socks5", description = "Do not run the SOCKS5 proxy, e.g. alknet connect ... --no-socks5 -L 8080:web:80.")
    boolean noSocks;

    @Option(names = "--socks5-user", paramLabel = "NAME",
            description = "Require SOCKS5 clients to log in (RFC 1929) with this user name; the password comes from "
                    + "--socks5-password-file. e.g. --socks5-user me.")
    String socksUser;

    @Option(names = "--socks5-password-file", paramLabel = "FILE",
            description = "File holding the SOCKS5 password (first line), e.g. --socks5-password-file ~/.alknet/socks-pass.")
    Path socksPasswordFile;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "Carry the transport connection through a proxy (socks5://HOST:PORT or http://HOST:PORT for HTTP CONNECT): "
                    + "tls:// servers are reached through it, the proxy resolving their name. With the tcp transport it has no effect "
                    + "(as specified); a warning says so. e.g. --proxy socks5://127.0.0.1:9050.")
    String proxy;

    @Option(names = "--cipher", paramLabel = "NAME[,NAME...]", split = ",",
            description = "SSH cipher preference, like ssh -c, e.g. --cipher chacha20-poly1305.")
    List<String> ciphers = new ArrayList<>();

    @Option(names = "--as-worker", paramLabel = "NAME",
            description = "Register this client's operations (from --plugin-dir) with the server, its head, as worker NAME: "
                    + "callers of the head reach them as /NAME/service/op. Needs the scope node:register; a NAME another "
                    + "worker holds is refused. e.g. --as-worker gpu1")
    String worker;

    @Option(names = "--no-reconnect", description = "Exit with status 1 when the session is lost instead of reconnecting, e.g. in scripts: --no-reconnect.")
    boolean noReconnect;

    @Option(names = "--reconnect-delay", paramLabel = "DURATION", defaultValue = "1s",
            description = "First reconnect delay; doubles each attempt, with +-20%% jitter (default: ${DEFAULT-VALUE}), "
                    + "e.g. --reconnect-delay 500ms.")
    String reconnectDelay;

    @Option(names = "--reconnect-max-delay", paramLabel = "DURATION", defaultValue = "30s",
            description = "Longest reconnect delay (default: ${DEFAULT-VALUE}), e.g. --reconnect-max-delay 1m.")
    String reconnectMaxDelay;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "2s",
            description = "On Ctrl-C or SIGTERM, how long open streams may finish before the disconnect (default: ${DEFAULT-VALUE}), "
                    + "e.g. --grace 10s.")
    String grace;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // One I/O thread, like OpenSSH's client: a tunnel's local side and its session then share a thread,
        // which saves a hand-off per write (measured in docs/benchmarks.md). -Dalknet.netty.threads overrides.
        if (System.getProperty("alknet.netty.threads") == null) {
            System.setProperty("alknet.netty.threads", "1");
        }
        TransportAddress target = login.target(address);
        ClientOptions.Builder options = BuiltIns.client(target)
                .hostKeys(login.hostKeyVerification())
                .reconnect(noReconnect ? ReconnectPolicy.NEVER : new ReconnectPolicy(true,
                        Durations.parse("--reconnect-delay", reconnectDelay), Durations.parse("--reconnect-max-delay", reconnectMaxDelay), 0.2))
                .gracePeriod(Durations.parse("--grace", grace))
                .pluginDirectory(common.pluginDirectory);
        if (common.stateDirectory != null) {
            options.stateDirectory(common.stateDirectory);
        }
        login.alternatives().forEach(options::via);
        for (String path : via) {
            options.via(Addresses.parse(path, null, 22, "--via"));
        }
        login.user().ifPresent(options::user);
        login.identityFiles().forEach(options::identity);
        localForwards.forEach(spec -> options.frontEnd(BuiltIns.localForward(spec)));
        remoteForwards.forEach(spec -> options.frontEnd(BuiltIns.remoteForward(spec)));
        if (noSocks && !socks.isEmpty()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "use either -D/--socks5 or --no-socks5, not both");
        }
        if (!noSocks) {
            (socks.isEmpty() ? List.of("127.0.0.1:1080") : socks).forEach(spec -> options.frontEnd(BuiltIns.socks5(spec)));
            socksCredentials(options);
        }
        login.transportSettings().forEach(options::setting);
        common.settingsMap().forEach(options::setting);
        if (worker != null) {
            options.setting(io.alknet.kernel.KernelSettings.WORKER, worker);
        }
        if (!ciphers.isEmpty()) {
            options.setting("interface.ssh.ciphers", String.join(",", ciphers));
        }
        PrintWriter err = spec.commandLine().getErr();
        if (proxy != null && target.scheme().equals("tcp")) {
            err.println("alknet: warning: --proxy has no effect with the tcp transport (it carries TLS and iroh transport connections); "
                    + "it is ignored");
            err.flush();
        } else if (proxy != null) {
            options.setting("transport." + target.scheme() + ".proxy", proxy);
        }
        Status status = new Status(err, common.quiet);
        options.events(status::event);
        if (login.insecure) {
            err.println("alknet: WARNING: --insecure-accept-host-key: the server's identity is NOT verified");
            err.flush();
        }
        AlknetClient client = Alknet.client(options.build());
        Signals.onTerminate(client::close);
        status.startLine(client);
        client.awaitTermination();
        // Only a lost session (with --no-reconnect) ends the client here; Ctrl-C exits through the JVM (130).
        return noReconnect ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private void socksCredentials(ClientOptions.Builder options) throws java.io.IOException {
        if (socksUser == null && socksPasswordFile == null) {
            return;
        }
        if (socksUser == null || socksPasswordFile == null) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--socks5-user and --socks5-password-file go together");
        }
        if (!java.nio.file.Files.isRegularFile(socksPasswordFile)) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "SOCKS5 password file not found: " + socksPasswordFile);
        }
        String password = java.nio.file.Files.readAllLines(socksPasswordFile).stream().findFirst().orElse("").strip();
        if (password.isEmpty()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "SOCKS5 password file " + socksPasswordFile + " is empty");
        }
        options.setting("frontend.socks5.username", socksUser);
        options.setting("frontend.socks5.password", password);
    }

    /**
     * Prints one line per change to stderr and, on a terminal, a status line refreshed every second
     * (connected or reconnecting, streams open, bytes). {@code --quiet} prints only failures.
     */
    static final class Status {
        private final PrintWriter err;
        private final boolean quiet;
        private final boolean terminal = System.console() != null && System.console().isTerminal();
        private volatile String state = "connecting";
        private volatile boolean lineShown;

        Status(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        void startLine(AlknetClient client) {
            if (quiet || !terminal) {
                return;
            }
            Thread.ofVirtual().name("alknet-status").start(() -> {
                while (true) {
                    ClientStats stats = client.stats();
                    String line = (stats.connected() ? "connected" + (stats.route().isEmpty() ? "" : " via " + stats.route()) : state) + " | streams open " + stats.openStreams()
                            + " (total " + stats.totalStreams() + ") | up " + bytes(stats.bytesUp()) + " down " + bytes(stats.bytesDown());
                    synchronized (err) {
                        err.print("\r" + line + "\u001b[K");
                        err.flush();
                        lineShown = true;
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private static String bytes(long count) {
            if (count < 1024) {
                return count + " B";
            }
            String[] units = {"KiB", "MiB", "GiB", "TiB"};
            double value = count;
            int unit = -1;
            while (value >= 1024 && unit < units.length - 1) {
                value /= 1024;
                unit++;
            }
            return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
        }

        void event(ClientEvent event) {
            String line = switch (event) {
                case ClientEvent.Connected connected -> "connected to " + connected.server() + " via " + connected.route()
                        + " (host key " + connected.serverKeyFingerprint() + ")";
                case ClientEvent.Disconnected disconnected -> "disconnected: " + disconnected.reason();
                case ClientEvent.Reconnecting reconnecting -> "reconnecting in " + reconnecting.delay().toMillis() / 1000.0
                        + "s (attempt " + reconnecting.attempt() + (reconnecting.attempt() > 1 ? ", last error: " + reconnecting.lastError() : "") + ")";
                case ClientEvent.FrontEndReady ready -> "ready: " + ready.description();
                case ClientEvent.FrontEndFailed failed -> "failed: " + failed.description() + ": " + failed.reason();
            };
            if (event instanceof ClientEvent.Reconnecting reconnecting) {
                state = "reconnecting in " + reconnecting.delay().toSeconds() + "s";
            }
            boolean important = event instanceof ClientEvent.FrontEndFailed;
            if (!quiet || important) {
                synchronized (err) {
                    err.println((lineShown ? "\r\u001b[K" : "") + "alknet: " + line);
                    err.flush();
                }
            }
        }
    }
}
