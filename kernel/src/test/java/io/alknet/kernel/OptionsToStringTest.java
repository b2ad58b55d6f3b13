package io.alknet.kernel;

import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec T-125: options printed (a log line, a debugger, an exception) never show a secret. */
class OptionsToStringTest {

    private static final String SOCKS_PASSWORD = "s0cks-pa55word";
    private static final String API_KEY = "alk_live_0123456789abcdefghij";
    private static final String PROXY_PASSWORD = "pr0xy-secret";
    private static final String TOKEN = "eyJ.signed.token";

    @Test
    void clientOptionsMaskEverySecret() {
        ClientOptions options = ClientOptions.builder(TransportAddress.of("tcp", "127.0.0.1", 2222))
                .hostKeys(new HostKeyVerification.Pinned(List.of("SHA256:abc")))
                .identity(Path.of("/keys/id_ed25519"))
                .setting("frontend.socks5.username", "ada")
                .setting("frontend.socks5.password", SOCKS_PASSWORD)
                .setting("interface.raw.credential", API_KEY)
                .setting("transport.tls.proxy", "socks5://ada:" + PROXY_PASSWORD + "@127.0.0.1:1080")
                .setting("example.auth-token", TOKEN)
                .setting("transport.tcp.connect-timeout", "7s")
                .streamInterface("ssh")
                .frontEnd(new FrontEndSpec("socks5", "127.0.0.1:1080"))
                .build();
        String shown = options.toString();
        assertThat(shown).doesNotContain(SOCKS_PASSWORD, API_KEY, PROXY_PASSWORD, TOKEN)
                .contains("frontend.socks5.password=***", "interface.raw.credential=***", "example.auth-token=***",
                        "transport.tls.proxy=socks5://ada:***@127.0.0.1:1080")
                .contains("frontend.socks5.username=ada", "transport.tcp.connect-timeout=7s", "/keys/id_ed25519", "SHA256:abc",
                        "tcp://127.0.0.1:2222");
    }

    @Test
    void serverOptionsMaskEverySecret() {
        ServerOptions options = ServerOptions.builder()
                .listen("tcp://127.0.0.1:0", "ssh")
                .identityProviders(List.of("keys"))
                .forwardingPolicy("rules")
                .setting("transport.tcp.proxy", "http://user:" + PROXY_PASSWORD + "@127.0.0.1:3128")
                .setting("interface.http.api-key", API_KEY)
                .setting("transport.iroh.secret-key", "/state/iroh.key")
                .setting("identity.keys.authorized-keys", "/etc/alknet/authorized_keys")
                .build();
        String shown = options.toString();
        assertThat(shown).doesNotContain(PROXY_PASSWORD, API_KEY, "/state/iroh.key")
                .contains("transport.tcp.proxy=http://user:***@127.0.0.1:3128", "interface.http.api-key=***",
                        "transport.iroh.secret-key=***", "identity.keys.authorized-keys=/etc/alknet/authorized_keys",
                        "tcp://127.0.0.1");
    }
}
