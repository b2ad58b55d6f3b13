package io.alknet.transport.iroh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad {@code transport.iroh.*} settings are refused with what is wrong and what would be right. */
class IrohSettingsTest {

    private static IrohSettings parse(Map<String, String> values) {
        return IrohSettings.from(Settings.of("transport.iroh.", values));
    }

    private static void refused(Map<String, String> values, String message) {
        assertThatThrownBy(() -> parse(values)).isInstanceOf(AlknetException.class)
                .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining(message);
    }

    @Test
    void defaultsAndRelayModes() {
        assertThat(parse(Map.of()).relayMode()).isZero();
        assertThat(parse(Map.of("relay", "none")).relayMode()).isEqualTo(1);
        assertThat(parse(Map.of("relay", "OFF")).relayMode()).isEqualTo(1);
        assertThat(parse(Map.of("relay", "https://relay.example.com/")).relayMode()).isEqualTo(2);
    }

    @Test
    void malformedSettingsAreRefusedClearly() {
        refused(Map.of("relay", "relay.example.com"), "expected 'default', 'none' or a relay URL");
        refused(Map.of("proxy", "ftp://proxy:21"), "expected socks5://HOST:PORT or http://HOST:PORT");
        refused(Map.of("connect-timeout", "-5s"), "connect-timeout must be positive");
        refused(Map.of("connect-timeout", "0s"), "connect-timeout must be positive");
        refused(Map.of("idle-timeout", "10ms"), "idle-timeout must be at least 1s");
        refused(Map.of("threads", "0"), "threads must be 1-64");
        refused(Map.of("relays", "none"), "relays");
    }
}
