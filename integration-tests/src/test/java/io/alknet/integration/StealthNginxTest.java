package io.alknet.integration;

import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ServerOptions;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The stealth port side by side with a real nginx 1.22 (Debian's package, started here on loopback as the current
 * user, with the same certificate): for a table of requests sent as raw bytes over TLS (and plain), both answers must
 * be equal byte for byte except the {@code Date} header, and end the same way (kept open for the next request, closed
 * with or without close_notify). The reference is nginx's defaults with {@code server_tokens off} and a {@code root}:
 * one that does not exist (every page a 404, what a stealth port without {@code decoy-dir} shows), and the decoy
 * directory. Timeouts are set short and equal on both sides, and only their outcome is compared.
 */
class StealthNginxTest {

    private static final String CHROME = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0 Safari/537.36\r\n";
    /** Sent after each request on the same connection: what a kept-open connection does next is part of the answer. */
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;

    private Fixture fixture;
    private Path cert;
    private Path key;
    private final List<Process> nginxes = new ArrayList<>();

    @BeforeEach
    void certificate() throws Exception {
        fixture = new Fixture(dir);
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).isZero();
    }

    @AfterEach
    void stopNginx() throws InterruptedException {
        for (Process nginx : nginxes) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void everyAnswerOfTheStealthPortIsNginxsByteForByte() throws Exception {
        int nginx = startNginx("default", dir.resolve("no-such-root"));
        try (AlknetServer server = Alknet.server(stealthServer(Optional.empty()).build())) {
            int stealth = tlsPort(server);
            String longUri = "/" + "a".repeat(9000);
            Map<String, String> requests = new LinkedHashMap<>();
            requests.put("GET /", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("HEAD /", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("GET /nonexistent", "GET /nonexistent HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("GET /v1/ without credential", "GET /v1/call/health/ping HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("POST /v1/ without credential", post("/v1/call/health/ping", "", "{}"));
            requests.put("POST /v1/ with a wrong credential", post("/v1/call/health/ping", "Authorization: Bearer alk_wrong\r\n", "{}"));
            requests.put("GET /v1/ops with a wrong token", "GET /v1/ops HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x.y.z\r\n\r\n");
            requests.put("POST with a body", post("/form", "Content-Type: application/x-www-form-urlencoded\r\n", "a=b&c=d"));
            requests.put("OPTIONS", "OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("TRACE", "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("PUT", post("/x", "", "abc").replace("POST", "PUT"));
            requests.put("DELETE", "DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("an unknown method", "FOO /x HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("a lower-case method", "get / HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("a very long URI", "GET " + longUri + " HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("HEAD with a very long URI", "HEAD " + longUri + " HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("a bad request line", "\u0001\u0002hello\r\n\r\n");
            requests.put("HTTP/0.9", "GET /\r\n");
            requests.put("HTTP/0.9 HEAD", "HEAD /\r\n");
            requests.put("HTTP/1.0", "GET / HTTP/1.0\r\n\r\n");
            requests.put("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            requests.put("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n");
            requests.put("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n");
            requests.put("HTTP/0.9 spelled out", "GET / HTTP/0.9\r\nHost: x\r\n\r\n");
            requests.put("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n");
            requests.put("HTTP/1.1 without Host from Chrome", "GET / HTTP/1.1\r\n" + CHROME + "\r\n");
            requests.put("a 404 for Chrome", "GET /x HTTP/1.1\r\nHost: x\r\n" + CHROME + "\r\n");
            requests.put("two Host headers", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
            requests.put("an invalid Host", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n");
            requests.put("a bad percent escape", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("%00", "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("above the root", "GET /../x HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("above the root, escaped", "GET /a/..%2f.. HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("an absolute URI", "GET https://example.com/x HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("an absolute URI without Host", "GET https://example.com/x HTTP/1.1\r\n\r\n");
            requests.put("an absolute URI with a bad host", "GET http://ex_ample/ HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("a request header too large", "GET / HTTP/1.1\r\nHost: x\r\nCookie: " + "a".repeat(9000) + "\r\n\r\n");
            requests.put("many large headers", "GET / HTTP/1.1\r\nHost: x\r\n" + "X-Large: %s\r\n".formatted("b".repeat(7000)).repeat(6) + "\r\n");
            requests.put("a header line without colon", "GET / HTTP/1.1\r\nHost: x\r\nFoo\r\n\r\n");
            requests.put("a space in a header name", "GET / HTTP/1.1\r\nHost: x\r\nFoo Bar: y\r\n\r\n");
            requests.put("an underscore in a header name", "GET / HTTP/1.1\r\nHost: x\r\nFoo_Bar: y\r\n\r\n");
            requests.put("a folded header", "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");
            requests.put("Connection: close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            requests.put("a body too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n");
            requests.put("a bad Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n");
            requests.put("Transfer-Encoding gzip", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n");
            requests.put("Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc");
            requests.put("a chunked body", "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            requests.put("Expect: 100-continue", "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            requests.put("bare LF line ends", "GET / HTTP/1.1\nHost: x\n\n");
            requests.put("empty lines first", "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("several spaces", "GET   /   HTTP/1.1  \r\nHost: x\r\n\r\n");
            requests.put("pipelined", "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            requests.put("SSH-1.5", "SSH-1.5-probe\r\n");
            requests.put("SSH, cut short", "SSH");
            List<String> differences = new ArrayList<>();
            for (Map.Entry<String, String> request : requests.entrySet()) {
                compare(request.getKey(), nginx, stealth, true, request.getValue() + NEXT, differences);
            }
            compare("plain HTTP to the TLS port", nginx, stealth, false, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", differences);
            compare("plain garbage to the TLS port", nginx, stealth, false, "\u0001\u0002hello\r\n\r\n", differences);
            compare("plain HTTP/1.1 without Host", nginx, stealth, false, "GET / HTTP/1.1\r\n\r\n", differences);
            compare("plain TRACE", nginx, stealth, false, "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", differences);
            compare("plain HTTP/0.9", nginx, stealth, false, "GET /\r\n", differences);
            compare("plain, very long", nginx, stealth, false, "GET " + longUri + " HTTP/1.1\r\nHost: x\r\n\r\n", differences);
            // what a silent or slow client sees: the timeouts are 2 s (client_header_timeout) and 3 s (keepalive_timeout)
            compare("TCP, then nothing", nginx, stealth, false, "", differences);
            compare("plain, half a request line, then nothing", nginx, stealth, false, "GET / HT", differences);
            compare("TLS handshake, then nothing", nginx, stealth, true, "", differences);
            compare("half a request line, then nothing", nginx, stealth, true, "GET / HT", differences);
            compare("an answer, then nothing", nginx, stealth, true, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", differences);
            compare("a head whose body never comes", nginx, stealth, true, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n", differences);
            assertThat(differences).as("requests the stealth port answers unlike nginx 1.22").isEmpty();
        }
    }

    @Test
    void theDecoyDirectoryIsServedAsNginxServesItsRoot() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<h1>Welcome</h1>\n");
        Files.writeString(www.resolve("style.css"), "body { color: #333; }\n");
        Files.createDirectories(www.resolve("empty"));
        Files.writeString(Files.createDirectories(www.resolve("docs")).resolve("index.html"), "<p>docs</p>\n");
        try (var files = Files.walk(www)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-06T07:08:09Z")));
            }
        }
        int nginx = startNginx("decoy", www);
        try (AlknetServer server = Alknet.server(stealthServer(Optional.of(www)).build())) {
            int stealth = tlsPort(server);
            List<String> differences = new ArrayList<>();
            for (String request : List.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n",
                    "POST /style.css HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", "POST / HTTP/1.1\r\nHost: x\r\n\r\n",
                    "OPTIONS /style.css HTTP/1.1\r\nHost: x\r\n\r\n", "GET /empty HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET /empty/ HTTP/1.1\r\nHost: x\r\n\r\n", "GET /docs HTTP/1.1\r\nHost: example.org\r\n\r\n",
                    "GET /docs?page=2 HTTP/1.1\r\nHost: x\r\n\r\n", "GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET /missing.html HTTP/1.1\r\nHost: x\r\n\r\n", "GET /%69ndex.html HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET /docs/../style.css HTTP/1.1\r\nHost: x\r\n\r\n", "GET /index.html\r\n")) {
                compare(request.lines().findFirst().orElseThrow(), nginx, stealth, true, request + NEXT, differences);
            }
            assertThat(differences).as("requests the stealth port answers unlike nginx 1.22").isEmpty();
        }
    }

    private ServerOptions.Builder stealthServer(Optional<Path> decoy) throws IOException {
        ServerOptions.Builder builder = fixture.server()
                .listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                .setting("transport.tls.cert", cert.toString())
                .setting("transport.tls.key", key.toString())
                .setting("transport.tls.stealth", "true")
                .setting("transport.tls.sniff-timeout", "2s")
                .setting("transport.tls.keepalive-timeout", "3s")
                // with an HTTP interface running, /v1/ must still look like nginx to everyone without a credential
                .setting("interface.http.listen", "127.0.0.1:" + Loopback.unusedPort());
        decoy.ifPresent(path -> builder.setting("transport.tls.decoy-dir", path.toString()));
        return builder;
    }

    private static int tlsPort(AlknetServer server) {
        return server.listenAddresses().stream().filter(address -> address.scheme().equals("tls")).findFirst().orElseThrow().port();
    }

    private static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Starts nginx as this user with everything under {@code dir/name}; returns its TLS port. */
    private int startNginx(String name, Path root) throws Exception {
        Path binary = nginxBinary();
        Path prefix = Files.createDirectories(dir.resolve("nginx-" + name));
        Files.createDirectories(prefix.resolve("tmp"));
        int port = Loopback.unusedPort();
        String temp = prefix.resolve("tmp").toString();
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                    types { text/html html; text/css css; }
                    default_type application/octet-stream;
                    access_log off;
                    server_tokens off;
                    client_header_timeout 2s;
                    keepalive_timeout 3s;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    server {
                        listen 127.0.0.1:%3$d ssl default_server;
                        ssl_certificate %4$s;
                        ssl_certificate_key %5$s;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        root %6$s;
                    }
                }
                """.formatted(prefix, temp, port, cert, key, root));
        Process nginx = new ProcessBuilder(binary.toString(), "-p", prefix + "/", "-c", conf.toString(), "-e", prefix.resolve("error.log").toString(),
                "-g", "daemon off; master_process off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
        nginxes.add(nginx);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                fail("nginx exited with " + nginx.exitValue() + ": " + Files.readString(prefix.resolve("stdout.log"))
                        + (Files.exists(prefix.resolve("error.log")) ? Files.readString(prefix.resolve("error.log")) : ""));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return fail("nginx did not listen on 127.0.0.1:" + port + " within 20 s");
    }

    /** nginx from Debian's package; missing is a failure that says how to install it, never a skip. */
    private static Path nginxBinary() {
        List<Path> candidates = new ArrayList<>();
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            candidates.add(Path.of(directory, "nginx"));
        }
        candidates.add(Path.of("/usr/sbin/nginx"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseGet(() -> fail(
                "nginx is not installed, and this test compares the stealth port with a real nginx 1.22: "
                        + "apt-get install nginx-light (Debian 12's nginx 1.22; .ci/run installs it)"));
    }

    private static void compare(String name, int nginx, int stealth, boolean tls, String request, List<String> differences)
            throws Exception {
        String expected = exchange(nginx, tls, request);
        String actual = exchange(stealth, tls, request);
        if (!expected.equals(actual)) {
            differences.add(name + "\n  nginx:   " + expected.replace("\r\n", "\\r\\n") + "\n  stealth: " + actual.replace("\r\n", "\\r\\n"));
        }
    }

    /**
     * Connects (TLS without SNI, or plain), sends {@code request} as raw bytes and reads everything until the server
     * ends the connection: the bytes with every {@code Date} and the port replaced, then how it ended.
     */
    private static String exchange(int port, boolean tls, String request) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(20_000);
            Socket socket = plain;
            if (tls) {
                SSLSocket secure = TrustingTls.layered(plain, port);
                secure.startHandshake();
                socket = secure;
            }
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (IOException closedEarly) {
                // the answer to what was sent so far is still to be read
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            String end;
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
                end = tls ? "[closed with close_notify]" : "[closed]";
            } catch (java.net.SocketTimeoutException stillOpen) {
                end = "[still open after 20 s]";
            } catch (IOException ended) {
                end = "[closed: " + ended.getClass().getSimpleName() + "]";
            }
            // the ports differ by necessity (a redirect names the server's own)
            return received.toString(StandardCharsets.ISO_8859_1).replaceAll("\r\nDate: [^\r]*\r\n", "\r\nDate: -\r\n")
                    .replace(":" + port + "/", ":PORT/") + end;
        }
    }
}
