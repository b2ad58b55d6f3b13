package io.alknet.integration;

import io.alknet.testkit.TrustAllTls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/** A TLS 1.3 client socket that trusts any certificate: a probe's view of a server, for tests only. */
final class TrustingTls {

    private TrustingTls() {
    }

    /** Connected to 127.0.0.1:port, sending {@code sni} (or none when null); the handshake starts on first use. */
    static SSLSocket socket(int port, String sni) throws Exception {
        SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        socket.setSSLParameters(parameters);
        return socket;
    }

    /**
     * TLS over the connected {@code plain} socket, without SNI: closing {@code plain} ends the TCP connection without a
     * TLS close_notify, and {@code plain.shutdownOutput()} half-closes it.
     */
    static SSLSocket layered(Socket plain, int port) throws Exception {
        SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of());
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static SSLContext context() throws Exception {
        return TrustAllTls.context();
    }
}
