package io.alknet.netty;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Outbound connections through a proxy (spec: transport chaining, {@code --proxy}): {@code socks5://HOST:PORT}
 * or {@code http://HOST:PORT} (HTTP CONNECT), with Netty's proxy handlers. The destination is handed to the
 * proxy as given (a name stays a name: the proxy resolves it).
 */
public final class Proxies {

    private Proxies() {
    }

    /** A parsed proxy setting. */
    public record Proxy(String scheme, InetSocketAddress address) {

        /** A fresh handler for one connection; put it first in the pipeline. */
        public ProxyHandler handler(long connectTimeoutMillis) {
            ProxyHandler handler = scheme.equals("socks5") ? new Socks5ProxyHandler(address) : new HttpProxyHandler(address);
            handler.setConnectTimeoutMillis(connectTimeoutMillis);
            return handler;
        }

        @Override
        public String toString() {
            return scheme + "://" + address.getHostString() + ":" + address.getPort();
        }
    }

    /**
     * Parses {@code socks5://HOST:PORT} or {@code http://HOST:PORT}.
     *
     * @throws AlknetException {@code INVALID_CONFIG} naming what is wrong
     */
    public static Optional<Proxy> parse(Optional<String> setting) {
        if (setting.isEmpty() || setting.get().isBlank()) {
            return Optional.empty();
        }
        String text = setting.get().strip();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("socks5") && !scheme.equals("http")) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "--proxy " + text + ": use socks5://HOST:PORT or http://HOST:PORT");
            }
            if (uri.getHost() == null || uri.getPort() <= 0) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "--proxy " + text + ": give a host and a port, e.g. socks5://127.0.0.1:1080");
            }
            return Optional.of(new Proxy(scheme, new InetSocketAddress(uri.getHost(), uri.getPort())));
        } catch (URISyntaxException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "--proxy " + text + " is not a URL: " + e.getReason());
        }
    }

    /** The error for a connection the proxy refused or could not make (without naming the destination). */
    public static AlknetException failure(Throwable cause, Proxy proxy) {
        for (Throwable error = cause; error != null; error = error.getCause()) {
            if (error instanceof ProxyConnectException connect) {
                String message = String.valueOf(connect.getMessage()).toLowerCase(Locale.ROOT);
                ErrorCode code = message.contains("refused") ? ErrorCode.TARGET_REFUSED
                        : message.contains("timeout") || message.contains("timed out") ? ErrorCode.TARGET_TIMEOUT
                        : ErrorCode.CONNECTION_FAILED;
                return new AlknetException(code, "the proxy " + proxy + " could not connect"
                        + (message.contains("status:") ? " (" + message.substring(message.indexOf("status:")).strip() + ")" : ""));
            }
        }
        return null;
    }
}
