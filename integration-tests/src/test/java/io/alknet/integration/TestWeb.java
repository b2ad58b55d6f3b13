package io.alknet.integration;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A real HTTP server on 127.0.0.1 serving one fixed body. */
final class TestWeb implements AutoCloseable {

    private final HttpServer server;

    TestWeb(byte[] body) throws IOException {
        this(body, InetAddress.getLoopbackAddress());
    }

    TestWeb(byte[] body, InetAddress address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
