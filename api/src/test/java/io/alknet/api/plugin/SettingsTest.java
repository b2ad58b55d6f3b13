package io.alknet.api.plugin;

import io.alknet.api.AlknetException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void unknownKeysAreRefusedByName() {
        Settings settings = Settings.of("transport.tcp.", Map.of("connect-timeot", "5s"));
        assertThatThrownBy(() -> settings.requireOnly(Set.of("connect-timeout")))
                .isInstanceOf(AlknetException.class)
                .hasMessageContaining("transport.tcp.connect-timeot")
                .hasMessageContaining("connect-timeout");
    }

    @Test
    void typedValues() {
        Settings settings = Settings.of("x.", Map.of("d", "5m", "ms", "250ms", "n", "7", "b", "yes", "l", "a, b,,c"));
        assertThat(settings.duration("d", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.duration("ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.integer("n", 0)).isEqualTo(7);
        assertThat(settings.bool("b", false)).isTrue();
        assertThat(settings.list("l")).containsExactly("a", "b", "c");
        assertThat(settings.integer("missing", 3)).isEqualTo(3);
    }

    @Test
    void badValuesNameTheKeyAndMaskSecrets() {
        Settings settings = new Settings("x.", Map.of("n", "seven", "token", "hunter2"), Set.of("token"));
        assertThatThrownBy(() -> settings.integer("n", 0)).hasMessageContaining("x.n").hasMessageContaining("seven");
        assertThatThrownBy(() -> settings.integer("token", 0)).hasMessageNotContaining("hunter2");
        assertThat(settings.toString()).doesNotContain("hunter2").contains("***");
    }

    @Test
    void secretsAreRecognisedByNameAndMaskedWithoutBeingDeclared() {
        Settings settings = Settings.of("frontend.socks5.", Map.of("username", "ada", "password", "hunter2", "handshake-timeout", "x"));
        assertThat(settings.secrets()).containsExactly("password");
        assertThat(settings.toString()).doesNotContain("hunter2").contains("password=***").contains("username=ada");
        assertThatThrownBy(() -> settings.integer("password", 0)).hasMessageNotContaining("hunter2");
        for (String secret : List.of("password", "frontend.socks5.password", "interface.raw.credential", "transport.iroh.secret-key",
                "api-key", "x.apikey", "auth-token", "token", "key-passphrase")) {
            assertThat(Settings.isSecretKey(secret)).as(secret).isTrue();
        }
        for (String plain : List.of("interface.ssh.host-key", "transport.tls.key", "identity.keys.token-max-age", "identity.keys.tokens",
                "transport.tcp.proxy", "username")) {
            assertThat(Settings.isSecretKey(plain)).as(plain).isFalse();
        }
        assertThat(Settings.masked(Map.of("proxy", "socks5://u:p4ss@h:1", "other", "http://h:80/")))
                .containsEntry("proxy", "socks5://u:***@h:1").containsEntry("other", "http://h:80/");
    }
}
