package io.alknet.transport.tls.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.plugin.Settings;
import io.alknet.transport.tls.internal.TlsSettings.AcmeChallenge;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ACME challenge setting: TLS-ALPN-01 unless HTTP-01 is asked for, by name or by giving its port. */
class TlsSettingsTest {

    private static TlsSettings acme(String... keysAndValues) {
        Map<String, String> values = new HashMap<>(Map.of("acme-domain", "tunnel.example.com"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return TlsSettings.from(Settings.of("transport.tls.", values));
    }

    @Test
    void withoutAnHttpPortTheListenerItselfAnswers() {
        assertThat(acme().acmeChallenge()).isEqualTo(AcmeChallenge.TLS_ALPN_01);
        assertThat(acme("acme-challenge", "TLS-ALPN-01").acmeChallenge()).isEqualTo(AcmeChallenge.TLS_ALPN_01);
    }

    @Test
    void http01ByNameOrByItsPort() {
        TlsSettings byName = acme("acme-challenge", "http-01");
        assertThat(byName.acmeChallenge()).isEqualTo(AcmeChallenge.HTTP_01);
        assertThat(byName.acmeHttpPort()).isEqualTo(80);
        TlsSettings byPort = acme("acme-http-port", "8080");
        assertThat(byPort.acmeChallenge()).isEqualTo(AcmeChallenge.HTTP_01);
        assertThat(byPort.acmeHttpPort()).isEqualTo(8080);
    }

    @Test
    void contradictionsAndUnknownChallengesAreRefusedByName() {
        assertThatThrownBy(() -> acme("acme-challenge", "tls-alpn-01", "acme-http-port", "8080"))
                .isInstanceOf(AlknetException.class).hasMessageContaining("--acme-http-port");
        assertThatThrownBy(() -> acme("acme-challenge", "dns-01"))
                .isInstanceOf(AlknetException.class).hasMessageContaining("transport.tls.acme-challenge").hasMessageContaining("dns-01");
    }
}
