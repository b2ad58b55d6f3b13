package io.alknet.policy.rules.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.net.Cidr;
import io.alknet.api.net.TargetHost;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.Protocol;
import io.alknet.api.policy.Quota;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy file. One rule per line, first match wins:
 *
 * <pre>
 * # comments and blank lines are ignored
 * default deny                               # what applies when no rule matches (default: allow)
 * deny  *:22                                 # no SSH hopping, for anyone
 * allow 10.0.0.0/8:5432 principal=db-users   # by identity id, name or scope
 * allow *.internal:80,443,8000-8099 direction=local transport=tls name=web
 * allow [fd00::/8]:* direction=remote
 * allow 10.0.0.53:53 protocol=udp               # tcp (streams) or udp (SOCKS5 UDP ASSOCIATE)
 * deny  *                                    # any host, any port
 * quota principal=guests channels=8 rate=10MB/s  # limits per identity: every matching line applies, the
 * quota sessions=4                           #   strictest value of each limit wins (see Quota)
 * </pre>
 *
 * Targets: {@code *}, {@code HOST:PORTS}, {@code CIDR:PORTS}, {@code [IPv6-CIDR]:PORTS}, {@code alknet-*}.
 * IPv4 addresses are four decimal numbers; ambiguous spellings ({@code 010.0.0.0/8}, {@code 127.1}) are refused.
 * Hosts: an exact name, or one {@code *} wildcard ({@code *.example.com}, {@code db-*}). Ports: {@code *},
 * {@code N}, {@code N-M} (inclusive), or a comma list of those. A malformed line is an error naming the
 * file, the line and what is wrong; the whole file is then refused.
 */
final class RuleFile {

    private static final Pattern HOST = Pattern.compile("[a-z0-9_.*-]+");

    private RuleFile() {
    }

    static RulesPolicy read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "policy file not found: " + file);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot read policy file " + file + ": " + e.getMessage());
        }
        return parse(lines, file.getFileName().toString());
    }

    static RulesPolicy parse(List<String> lines, String fileName) {
        List<Rule> rules = new ArrayList<>();
        List<QuotaRule> quotas = new ArrayList<>();
        Action defaultAction = Action.ALLOW;
        String defaultLabel = "default";
        boolean defaultSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String where = fileName + ":" + (i + 1);
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            String verb = words[0].toLowerCase(Locale.ROOT);
            if (verb.equals("default")) {
                if (words.length != 2) {
                    throw invalid(where, "expected 'default allow' or 'default deny'");
                }
                if (defaultSeen) {
                    throw invalid(where, "'default' is given twice");
                }
                defaultSeen = true;
                defaultAction = action(words[1], where);
                defaultLabel = "default(" + where + ")";
                continue;
            }
            if (verb.equals("quota")) {
                quotas.add(quota(words, where));
                continue;
            }
            Action action = action(verb, where);
            if (words.length < 2) {
                throw invalid(where, "'" + verb + "' needs a target, for example: " + verb + " *.example.com:443");
            }
            rules.add(rule(action, words, where));
        }
        return new RulesPolicy(rules, defaultAction, defaultLabel, quotas);
    }

    private static QuotaRule quota(String[] words, String where) {
        List<String> principals = new ArrayList<>();
        Quota quota = Quota.NONE;
        String label = where;
        for (Option option : options(words, 1, where)) {
            switch (option.key()) {
                case "principal", "principals" -> principals.addAll(option.values());
                case "name" -> label = option.value();
                default -> {
                    if (!Quota.isKey(option.key())) {
                        throw invalid(where, "unknown quota option '" + option.key()
                                + "'; known: principal, name, sessions, channels, bytes-per-day, rate, rate-up, rate-down");
                    }
                    try {
                        quota = quota.with(option.key() + "=" + option.value());
                    } catch (IllegalArgumentException e) {
                        throw invalid(where, e.getMessage());
                    }
                }
            }
        }
        if (quota.isNone()) {
            throw invalid(where, "a quota line sets at least one limit, for example: quota principal=guests rate=10MB/s");
        }
        return new QuotaRule(principals, quota, label);
    }

    /** One {@code key=value} word of a line: the key in lower case, the value as written. */
    private record Option(String key, String value) {
        /** The value as a comma list, blanks dropped. */
        List<String> values() {
            return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    private static List<Option> options(String[] words, int from, String where) {
        List<Option> options = new ArrayList<>();
        for (int i = from; i < words.length; i++) {
            String option = words[i];
            int eq = option.indexOf('=');
            if (eq <= 0 || eq == option.length() - 1) {
                throw invalid(where, "expected key=value, found '" + option + "'");
            }
            options.add(new Option(option.substring(0, eq).toLowerCase(Locale.ROOT), option.substring(eq + 1)));
        }
        return options;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static Action action(String word, String where) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "allow" -> Action.ALLOW;
            case "deny" -> Action.DENY;
            default -> throw invalid(where, "expected 'allow', 'deny', 'default' or 'quota', found '" + word + "'");
        };
    }

    private static Rule rule(Action action, String[] words, String where) {
        Target target = target(words[1], where);
        Set<Direction> directions = EnumSet.noneOf(Direction.class);
        List<String> principals = new ArrayList<>();
        Set<String> transports = new LinkedHashSet<>();
        Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
        String label = where;
        for (Option option : options(words, 2, where)) {
            List<String> values = option.values();
            switch (option.key()) {
                case "direction" -> values.forEach(v -> directions.add(direction(v, where)));
                case "principal", "principals" -> principals.addAll(values);
                case "transport", "transports" -> values.forEach(v -> transports.add(transport(v, where)));
                case "protocol", "protocols" -> values.forEach(v -> protocols.add(protocol(v, where)));
                case "name" -> label = option.value();
                default -> throw invalid(where, "unknown option '" + option.key()
                        + "'; known options: direction, principal, transport, protocol, name");
            }
        }
        return new Rule(action, target, directions, principals, transports, protocols, label);
    }

    private static Protocol protocol(String value, String where) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw invalid(where, "protocol must be tcp or udp, found '" + value + "'");
        };
    }

    private static Direction direction(String value, String where) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "local" -> Direction.LOCAL;
            case "remote" -> Direction.REMOTE;
            default -> throw invalid(where, "direction must be local or remote, found '" + value + "'");
        };
    }

    private static String transport(String value, String where) {
        String kind = value.toLowerCase(Locale.ROOT);
        if (!kind.matches("[a-z][a-z0-9+.-]*")) {
            throw invalid(where, "'" + value + "' is not a transport name such as tcp, tls or iroh");
        }
        return kind;
    }

    static Target target(String text, String where) {
        if (text.equals("*")) {
            return new Target.Any();
        }
        if (text.equals("alknet-*")) {
            return new Target.Reserved();
        }
        String host;
        String ports;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw invalid(where, "IPv6 targets look like [fd00::/8]:443");
            }
            host = text.substring(1, close);
            ports = text.substring(close + 2);
            return new Target.Network(cidr(host, where), ports(ports, where));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(where, "target '" + text + "' needs a port: write " + text + ":* for any port");
        }
        host = text.substring(0, colon).toLowerCase(Locale.ROOT);
        ports = text.substring(colon + 1);
        if (host.indexOf(':') >= 0) {
            throw invalid(where, "put IPv6 addresses in brackets, for example [" + host + "]:" + ports);
        }
        List<PortRange> portRanges = ports(ports, where);
        if (!host.contains("*") && !host.contains("/")) {
            try {
                TargetHost.literal(host);
            } catch (AlknetException e) {
                throw invalid(where, "'" + host + "': " + e.getMessage());
            }
        }
        if (host.contains("/") || Cidr.isIpLiteral(host)) {
            return new Target.Network(cidr(host, where), portRanges);
        }
        if (host.isEmpty() || !HOST.matcher(host).matches() || host.chars().filter(c -> c == '*').count() > 1) {
            throw invalid(where, "'" + host + "' is not a host name pattern (one * wildcard at most)");
        }
        return new Target.HostPattern(host, portRanges);
    }

    private static Cidr cidr(String text, String where) {
        try {
            return Cidr.parse(text);
        } catch (AlknetException e) {
            throw invalid(where, e.getMessage());
        }
    }

    private static List<PortRange> ports(String text, String where) {
        if (text.equals("*")) {
            return List.of(PortRange.ANY);
        }
        List<PortRange> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int dash = part.indexOf('-');
                int low = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int high = dash < 0 ? low : Integer.parseInt(part.substring(dash + 1));
                ranges.add(new PortRange(low, high));
            } catch (IllegalArgumentException e) {
                throw invalid(where, "'" + part + "' is not a port, a range like 8000-8099, or *");
            }
        }
        return ranges;
    }

    private static AlknetException invalid(String where, String reason) {
        return new AlknetException(ErrorCode.INVALID_CONFIG, "policy " + where + ": " + reason);
    }
}
