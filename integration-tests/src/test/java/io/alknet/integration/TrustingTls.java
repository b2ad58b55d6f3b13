package io.alknet.integration;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
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
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
