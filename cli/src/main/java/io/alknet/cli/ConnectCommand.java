package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.iface.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.ClientEvent;
import io.alknet.kernel.ClientOptions;
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
        description = {"Connect to an alknet (or OpenSSH) server and run local port forwards through the session.",
                "The session is re-established automatically if it is lost; local listeners stay open meanwhile.", ""},
        footer = {"",
                "The server's host key must be verified: pin it with --host-key-fingerprint (alknet serve prints it)",
                "or give an OpenSSH known_hosts file. There is no silent trust-on-first-use.",
                "",
                "Examples:",
                "  alknet connect tcp://example.com:2222 -i ~/.alknet/id_ed25519 \\",
                "      --host-key-fingerprint SHA256:abc... -L 8080:intranet.local:80",
                "  alknet connect example.com:22 -i id_ed25519 --known-hosts ~/.ssh/known_hosts -L 5432:db.internal:5432",
                "  alknet connect tcp://[2001:db8::1]:2222 -i key --host-key-fingerprint SHA256:abc... -L '[::1]:8443:web:443'"})
final class ConnectCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS",
            description = "Server address: tcp://HOST:PORT, or HOST[:PORT] (default port 22). Default: $ALKNET_SERVER.")
    String address;

    @Option(names = "--server", paramLabel = "ADDRESS", description = "Same as ADDRESS.")
    String server;

    @Option(names = "--transport", paramLabel = "NAME", description = "Transport when ADDRESS has no scheme (default: tcp).")
    String transport;

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE",
            description = "Private key to log in with (OpenSSH format; create one with 'alknet keygen'). Default: $ALKNET_IDENTITY.")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--user", paramLabel = "NAME", description = "User name to log in as (default: $USER).")
    String user;

    @Option(names = "--host-key-fingerprint", paramLabel = "SHA256:...", split = ",",
            description = "Accept only a server host key with this fingerprint (repeatable).")
    List<String> fingerprints = new ArrayList<>();

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Accept server host keys listed in this OpenSSH known_hosts file.")
    Path knownHosts;

    @Option(names = "--insecure-accept-host-key",
            description = "Accept ANY server host key. Only for tests: it lets a man in the middle read everything.")
    boolean insecure;

    @Option(names = {"-L", "--forward"}, paramLabel = "[BIND:]PORT:HOST:HOSTPORT",
            description = "Local forward, repeatable: listen on BIND:PORT (default 127.0.0.1) and connect each "
                    + "connection to HOST:HOSTPORT as seen from the server. IPv6 in brackets, e.g. [::1]:8080:[fd00::5]:80.")
    List<String> localForwards = new ArrayList<>();

    @Option(names = "--cipher", paramLabel = "NAME[,NAME...]", split = ",", description = "SSH cipher preference, like ssh -c.")
    List<String> ciphers = new ArrayList<>();

    @Option(names = "--no-reconnect", description = "Exit with status 1 when the session is lost instead of reconnecting.")
    boolean noReconnect;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TransportAddress target = Addresses.parse(serverAddress(), transport, 22, "ADDRESS");
        ClientOptions.Builder options = ClientOptions.builder(target)
                .hostKeys(hostKeyVerification())
                .reconnect(noReconnect ? ReconnectPolicy.NEVER : ReconnectPolicy.DEFAULT)
                .pluginDirectory(common.pluginDirectory);
        if (common.stateDirectory != null) {
            options.stateDirectory(common.stateDirectory);
        }
        if (user != null) {
            options.user(user);
        }
        identityFiles().forEach(options::identity);
        localForwards.forEach(spec -> options.frontEnd(FrontEndSpec.localForward(spec)));
        common.settingsMap().forEach(options::setting);
        if (!ciphers.isEmpty()) {
            options.setting("interface.ssh.ciphers", String.join(",", ciphers));
        }
        PrintWriter err = spec.commandLine().getErr();
        Status status = new Status(err, common.quiet);
        options.events(status::event);
        if (insecure) {
            err.println("alknet: WARNING: --insecure-accept-host-key: the server's identity is NOT verified");
            err.flush();
        }
        AlknetClient client = Alknet.client(options.build());
        Signals.onTerminate(client::close);
        client.awaitTermination();
        // Only a lost session (with --no-reconnect) ends the client here; Ctrl-C exits through the JVM (130).
        return noReconnect ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private String serverAddress() {
        String value = address != null ? address : server != null ? server : System.getenv("ALKNET_SERVER");
        if (value == null || value.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "no server address: pass ADDRESS (e.g. tcp://example.com:2222) or set ALKNET_SERVER");
        }
        return value;
    }

    private List<Path> identityFiles() {
        if (!identities.isEmpty()) {
            return identities;
        }
        String env = System.getenv("ALKNET_IDENTITY");
        if (env == null || env.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT,
                    "no identity key: pass -i FILE or set ALKNET_IDENTITY (create a key with: alknet keygen -f ~/.alknet/id_ed25519)");
        }
        return List.of(Path.of(env));
    }

    private HostKeyVerification hostKeyVerification() {
        int chosen = (fingerprints.isEmpty() ? 0 : 1) + (knownHosts == null ? 0 : 1) + (insecure ? 1 : 0);
        if (chosen == 0) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the server's host key cannot be verified: pass "
                    + "--host-key-fingerprint SHA256:... (alknet serve prints it) or --known-hosts FILE");
        }
        if (chosen > 1) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT,
                    "use only one of --host-key-fingerprint, --known-hosts and --insecure-accept-host-key");
        }
        if (insecure) {
            return new HostKeyVerification.AcceptAny();
        }
        if (knownHosts != null) {
            if (!java.nio.file.Files.isRegularFile(knownHosts)) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "known_hosts file not found: " + knownHosts);
            }
            return new HostKeyVerification.KnownHosts(knownHosts);
        }
        for (String fingerprint : fingerprints) {
            if (!fingerprint.matches("(SHA256:)?[A-Za-z0-9+/]{43}=?")) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--host-key-fingerprint '" + fingerprint
                        + "' is not a SHA256 fingerprint like SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");
            }
        }
        return new HostKeyVerification.Pinned(fingerprints);
    }

    /** Prints one status line per change to stderr. */
    static final class Status {
        private final PrintWriter err;
        private final boolean quiet;

        Status(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        void event(ClientEvent event) {
            String line = switch (event) {
                case ClientEvent.Connected connected -> "connected to " + connected.server() + " (host key " + connected.serverKeyFingerprint() + ")";
                case ClientEvent.Disconnected disconnected -> "disconnected: " + disconnected.reason();
                case ClientEvent.Reconnecting reconnecting -> "reconnecting in " + reconnecting.delay().toMillis() / 1000.0
                        + "s (attempt " + reconnecting.attempt() + (reconnecting.attempt() > 1 ? ", last error: " + reconnecting.lastError() : "") + ")";
                case ClientEvent.FrontEndReady ready -> "ready: " + ready.description();
                case ClientEvent.FrontEndFailed failed -> "failed: " + failed.description() + ": " + failed.reason();
            };
            boolean important = event instanceof ClientEvent.FrontEndFailed;
            if (!quiet || important) {
                synchronized (err) {
                    err.println("alknet: " + line);
                    err.flush();
                }
            }
        }
    }
}
