package io.alknet.interfaces.socks5.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.frontend.FrontEnd;
import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** Creates SOCKS5 listeners from {@code [BIND:]PORT} ({@code -D}). */
public final class Socks5FrontEndFactory implements FrontEndFactory {

    @Override
    public String name() {
        return "socks5";
    }

    @Override
    public String specSyntax() {
        return "[BIND:]PORT";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(Socks5Settings.DECLARED);
    }

    @Override
    public FrontEnd create(String spec, Settings settings, PluginContext context) {
        return new Socks5FrontEnd(parse(spec), Socks5Settings.from(settings));
    }

    /** {@code 1080}, {@code 127.0.0.1:1080}, {@code [::1]:1080}, {@code *:1080} (all interfaces). */
    static InetSocketAddress parse(String spec) {
        String host = "127.0.0.1";
        String port = spec.trim();
        if (port.startsWith("[")) {
            int close = port.indexOf(']');
            if (close < 0 || close + 1 >= port.length() || port.charAt(close + 1) != ':') {
                throw invalid(spec, "IPv6 addresses look like [::1]:1080");
            }
            host = port.substring(1, close);
            port = port.substring(close + 2);
        } else if (port.indexOf(':') >= 0) {
            int colon = port.lastIndexOf(':');
            host = port.substring(0, colon);
            port = port.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw invalid(spec, "put IPv6 addresses in brackets, e.g. [::1]:1080");
            }
            if (host.isEmpty() || host.equals("*")) {
                host = "0.0.0.0";
            }
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw invalid(spec, "'" + port + "' is not a port number");
        }
        if (number < 0 || number > 65535) {
            throw invalid(spec, "port " + number + " is out of range 0-65535");
        }
        InetSocketAddress address = new InetSocketAddress(host, number);
        if (address.isUnresolved()) {
            throw invalid(spec, "'" + host + "' does not resolve");
        }
        return address;
    }

    private static AlknetException invalid(String spec, String reason) {
        return new AlknetException(ErrorCode.INVALID_ARGUMENT, "bad -D spec '" + spec + "': " + reason);
    }
}
