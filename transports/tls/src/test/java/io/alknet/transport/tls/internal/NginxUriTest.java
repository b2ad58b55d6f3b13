package io.alknet.transport.tls.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The path nginx derives from a request target, and the targets it refuses (a null path: 400). */
class NginxUriTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "REFUSED", value = {
            "/                 | /",
            "/a//b///c         | /a/b/c",
            "/a/./b/.          | /a/b/",
            "/a/b/../c         | /a/c",
            "/a/b/..           | /a/",
            "/a/%2e%2e/b       | /b",
            "/a/..%2f..        | REFUSED",
            "/..               | REFUSED",
            "/%41%62?q=%zz     | /Ab",
            "/x#frag/../..     | /x",
            "/%3F%23%25        | /?#%",
            "/%zz              | REFUSED",
            "/%4               | REFUSED",
            "/%00              | REFUSED",
            "/a.html?x         | /a.html",
    })
    void pathsAreNginxs(String target, String path) {
        byte[] decoded = NginxUri.path(target.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(decoded == null ? null : new String(decoded, StandardCharsets.ISO_8859_1)).isEqualTo(path);
    }
}
