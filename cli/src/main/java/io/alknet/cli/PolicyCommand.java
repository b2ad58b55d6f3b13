package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.net.TargetHost;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.ForwardingPolicyFactory;
import io.alknet.api.policy.PolicyDecision;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code alknet policy}. */
@Command(name = "policy",
        mixinStandardHelpOptions = true,
        description = {"Work with forwarding policy files.", ""},
        subcommands = PolicyCommand.Explain.class)
final class PolicyCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code alknet policy explain}. */
    @Command(name = "explain",
            mixinStandardHelpOptions = true,
            description = {"Show what a policy decides for IDENTITY forwarding to HOST:PORT, and which rule decided.",
                    "HOST is resolved like the server would; every address is checked. Exit status 0 if allowed, 1 if denied.", ""},
            footer = {"",
                    "Policy file syntax (first matching rule wins):",
                    "  default deny                              # when no rule matches (default: allow)",
                    "  deny  *:22                                # any host, port 22",
                    "  allow 10.0.0.0/8:5432 principal=db-users  # identity id, name or scope",
                    "  allow *.internal:80,443,8000-8099 direction=local transport=tcp name=web",
                    "  allow [fd00::/8]:* direction=remote",
                    "Link-local and cloud-metadata addresses, and 0.0.0.0 or :: as a destination (the server itself), are only",
                    "reachable through an explicit CIDR allow rule; a rule that denies loopback also denies 0.0.0.0 and ::.",
                    "Listening (--remote) on a port below 1024 needs an allow rule that names the port.",
                    "IPv4 addresses are four decimal numbers: 0177.0.0.1, 127.1 or 2130706433 are refused as ambiguous.",
                    "",
                    "Examples:",
                    "  alknet policy explain --policy policy.rules alice db.internal:5432",
                    "  alknet policy explain --policy policy.rules --scope admins --remote bob 0.0.0.0:8080"})
    static final class Explain implements Callable<Integer> {

        @Option(names = "--policy", paramLabel = "FILE", required = true, description = "The policy file.")
        Path policy;

        @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope the identity holds (repeatable; relay:connect is implied).")
        List<String> scopes = List.of();

        @Option(names = "--remote", description = "Decide a remote forward (-R listen) instead of a local one.")
        boolean remote;

        @Option(names = "--transport", paramLabel = "NAME", defaultValue = "tcp", description = "Transport the session uses (default: ${DEFAULT-VALUE}).")
        String transport;

        @Option(names = "--plugin-dir", paramLabel = "DIR", description = "Also load plugins from DIR.")
        Path pluginDirectory;

        @Parameters(index = "0", paramLabel = "IDENTITY", description = "Identity id or name (e.g. a key fingerprint or comment).")
        String identity;

        @Parameters(index = "1", paramLabel = "HOST:PORT", description = "The destination (or the listen address with --remote).")
        String destination;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PluginCatalog catalog = Alknet.discover(Optional.ofNullable(pluginDirectory));
            PluginCatalog.Contribution<ForwardingPolicyFactory> rules = catalog.of(ExtensionKind.FORWARDING_POLICY).get(BuiltIns.RULES);
            if (rules == null) {
                throw new AlknetException(ErrorCode.UNKNOWN_COMPONENT, "no 'rules' forwarding policy plugin is installed");
            }
            PluginContext context = new PluginContext() {
                @Override
                public Path stateDirectory() {
                    return Alknet.defaultStateDirectory();
                }

                @Override
                public Clock clock() {
                    return Clock.systemUTC();
                }
            };
            ForwardingPolicy forwarding = rules.factory().create(Settings.of("policy.rules.", Map.of("file", policy.toString())), context);
            var target = Addresses.parse(destination, "tcp", 0, "HOST:PORT");
            if (target.port() <= 0) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "HOST:PORT needs a port, e.g. db.internal:5432");
            }
            try {
                TargetHost.literal(target.host()); // the server refuses these before asking the policy
            } catch (AlknetException e) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "HOST:PORT " + destination + ": " + e.getMessage());
            }
            HashSet<String> allScopes = new HashSet<>(scopes);
            allScopes.add(Identity.RELAY_CONNECT);
            Identity who = Identity.of(identity, identity, allScopes);
            Direction direction = remote ? Direction.REMOTE : Direction.LOCAL;
            ForwardRequest request = new ForwardRequest(who, direction, target.host(), target.port(), Optional.empty(), transport);
            PrintWriter out = spec.commandLine().getOut();
            boolean anyAllowed = false;
            List<InetAddress> addresses = resolve(target.host(), out);
            if (addresses.isEmpty()) {
                anyAllowed = print(out, target.uriHost() + ":" + target.port(), forwarding.decide(request));
            }
            for (InetAddress address : addresses) {
                String label = (address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                        + ":" + target.port();
                anyAllowed |= print(out, label, forwarding.decide(request.withAddress(address)));
            }
            io.alknet.api.policy.Quota quota = forwarding.quota(who);
            if (!quota.isNone()) {
                out.println("quota " + quota + "  (the policy's quota lines for this identity; a key's quota=\"…\" may be stricter)");
            }
            out.flush();
            return anyAllowed ? ExitCodes.OK : ExitCodes.FAILED;
        }

        private static List<InetAddress> resolve(String host, PrintWriter out) {
            try {
                return List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                out.println("note: " + host + " does not resolve here; deciding on the name alone");
                return List.of();
            }
        }

        private static boolean print(PrintWriter out, String label, PolicyDecision decision) {
            out.println((decision.allowed() ? "allow " : "deny  ") + label + "  rule=" + decision.rule()
                    + (decision.allowed() ? "" : "  reason=" + decision.reason()));
            return decision.allowed();
        }
    }
}
