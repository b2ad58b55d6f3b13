package io.alknet.transport.tls.internal;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request head reader, without sockets. What it must answer is held against a real nginx by the kernel's
 * {@code StealthNginxTest}; this pins the reading itself: bytes arriving a few at a time, refusing at the first wrong
 * byte, and what a complete head carries.
 */
class NginxRequestParserTest {

    private static NginxRequestParser.Result parse(String bytes) {
        return NginxRequestParser.parse(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    private static NginxRequest parsed(String bytes) {
        NginxRequestParser.Result result = parse(bytes);
        assertThat(result).isInstanceOf(NginxRequestParser.Parsed.class);
        return ((NginxRequestParser.Parsed) result).request();
    }

    private static int refused(String bytes) {
        NginxRequestParser.Result result = parse(bytes);
        assertThat(result).as(bytes).isInstanceOf(NginxRequestParser.Refused.class);
        return ((NginxRequestParser.Refused) result).status();
    }

    @Test
    void aHeadThatArrivesInPiecesIsIncompleteUntilItsEmptyLine() {
        String head = "GET /a/./b/../c%41?x=1 HTTP/1.1\r\nHost: Example.ORG:8443\r\nConnection: close\r\n\r\nbody";
        for (int cut = 0; cut < head.indexOf("\r\n\r\n") + 4; cut++) {
            assertThat(parse(head.substring(0, cut))).as("first %d bytes", cut).isInstanceOf(NginxRequestParser.Incomplete.class);
        }
        NginxRequestParser.Parsed done = (NginxRequestParser.Parsed) parse(head);
        assertThat(done.length()).isEqualTo(head.indexOf("body"));
        NginxRequest request = done.request();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("/a/./b/../c%41?x=1");
        assertThat(request.path()).isEqualTo("/a/cA");
        assertThat(request.version()).isEqualTo(1001);
        assertThat(request.host()).isEqualTo("example.org");
        assertThat(request.keepAlive()).isFalse();
        assertThat(request.header("connection")).isEqualTo("close");
    }

    @Test
    void aWrongByteIsRefusedBeforeTheLineIsComplete() {
        assertThat(refused("g")).isEqualTo(400);
        assertThat(refused("GET !")).isEqualTo(400);
        assertThat(parse("GET x")).as("a scheme, maybe").isInstanceOf(NginxRequestParser.Incomplete.class);
        assertThat(refused("GET x/")).isEqualTo(400);
        assertThat(refused("GET / HTTP/2")).isEqualTo(505);
        assertThat(refused("GET / HTTP/1.1\r\nHost: x\r\nBad Name")).isEqualTo(400);
        assertThat(refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n")).isEqualTo(400);
    }

    @Test
    void limitsAreNginxsHeaderBuffers() {
        assertThat(refused("GET /" + "a".repeat(NginxRequestParser.LINE_LIMIT))).isEqualTo(414);
        assertThat(refused("GET /" + "a".repeat(NginxRequestParser.LINE_LIMIT) + " HTTP/1.1\r\n")).isEqualTo(414);
        assertThat(refused("GET / HTTP/1.1\r\nCookie: " + "a".repeat(NginxRequestParser.LINE_LIMIT))).isEqualTo(494);
        assertThat(parse("GET /" + "a".repeat(NginxRequestParser.LINE_LIMIT - 100))).isInstanceOf(NginxRequestParser.Incomplete.class);
    }

    @Test
    void whatNginxToleratesIsTolerated() {
        assertThat(parsed("GET /\r\n").version()).isEqualTo(NginxRequest.HTTP_09);
        assertThat(parsed("\r\nGET   /x   HTTP/1.0  \nFoo\nX_Ignored: 1\n\n").headers())
                .containsExactly(new NginxRequest.Header("Foo", ""));
        assertThat(parsed("GET http://h.example/p HTTP/1.1\r\nHost: x\r\n\r\n")).satisfies(request -> {
            assertThat(request.uri()).isEqualTo("/p");
            assertThat(request.host()).isEqualTo("h.example");
        });
    }

    @Test
    void keepAliveAndBodyFollowNginxsRules() {
        assertThat(parsed("GET / HTTP/1.1\r\nHost: x\r\n\r\n").keepAlive()).isTrue();
        assertThat(parsed("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(parsed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
        assertThat(parsed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n").contentLength()).isEqualTo(12);
        assertThat(parsed("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n").chunked()).isTrue();
        assertThat(refused("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")).isEqualTo(501);
        NginxRequestParser.Refused both = (NginxRequestParser.Refused) parse(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.contentLength()).as("nginx reads the announced body before it closes").isEqualTo(3);
    }

    @Test
    void hostsAreCheckedAsNginxChecksThem() {
        assertThat(NginxRequestParser.validHost("Example.ORG.")).isEqualTo("example.org");
        assertThat(NginxRequestParser.validHost("[::1]:443")).isEqualTo("[::1]");
        assertThat(NginxRequestParser.validHost("a..b")).isNull();
        assertThat(NginxRequestParser.validHost("a/b")).isNull();
        assertThat(NginxRequestParser.validHost(":80")).isNull();
    }
}
