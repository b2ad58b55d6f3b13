package io.alknet.auth.keys.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.net.Cidr;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenSSH {@code from="…"} pattern lists over the client IP: CIDR blocks, IP literals with {@code *}
 * and {@code ?} wildcards, and {@code !} negation (a matching negated pattern refuses). Host-name
 * patterns would need reverse DNS, which alknet does not do, so they never match. A CIDR block that does
 * not parse (including an ambiguous one such as {@code 010.0.0.0/8}) makes the whole list refuse.
 */
final class SourcePatterns {

    private SourcePatterns() {
    }

    static boolean matches(List<String> patterns, Optional<InetAddress> client) {
        if (client.isEmpty()) {
            return false;
        }
        InetAddress address = client.get();
        String text = address.getHostAddress().toLowerCase(Locale.ROOT);
        boolean allowed = false;
        for (String raw : patterns) {
            boolean negated = raw.startsWith("!");
            String pattern = (negated ? raw.substring(1) : raw).toLowerCase(Locale.ROOT);
            if (pattern.contains("/") && !isCidr(pattern)) {
                return false; // like OpenSSH, a list with an address it cannot read refuses: a negation must never be lost
            }
            boolean hit = pattern.contains("/") ? inCidr(address, pattern) : glob(pattern, text);
            if (hit && negated) {
                return false;
            }
            allowed |= hit;
        }
        return allowed;
    }

    private static boolean isCidr(String pattern) {
        try {
            Cidr.parse(pattern);
            return true;
        } catch (AlknetException e) {
            return false;
        }
    }

    static boolean inCidr(InetAddress address, String cidr) {
        try {
            return Cidr.parse(cidr).contains(address);
        } catch (AlknetException e) {
            return false;
        }
    }

    static boolean glob(String pattern, String text) {
        return glob(pattern, 0, text, 0);
    }

    private static boolean glob(String pattern, int p, String text, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int k = t; k <= text.length(); k++) {
                    if (glob(pattern, p + 1, text, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }
}
